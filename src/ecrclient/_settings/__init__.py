"""Everything that reads the environment, the shared config and credentials files, the
credential chain, proxies and CA bundles; the sans-IO core reads none of them."""
