"""Building blocks every API area uses: global IDs and the Node interface, pagination, arguments, scalars, errors, mutation plumbing, DataLoaders, look-ahead and the executor."""
