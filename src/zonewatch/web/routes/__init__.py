"""Page routes, one module per group of pages; `ROUTERS` is what `create_app` includes."""
