"""Service-agnostic, sans-IO machinery: wire conversions, validation, the awsJson 1.1
protocol, SigV4 signing, credentials, endpoints, configuration and response metadata.

Nothing in here performs I/O; the clients call these pieces around their transport.
"""
