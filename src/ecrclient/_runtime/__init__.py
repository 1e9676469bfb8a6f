"""The hand-written glue between the shells users import and the sans-IO core: the base client,
operation loading, and the paginator and waiter machinery over the generated handles."""
