"""The hand-written glue between the shells users import and the sans-IO core: the base client,
operation loading, the paginator and waiter machinery over the generated handles, the jobs
(steps published blocking and awaiting), and the packages' lazily imported public names."""
