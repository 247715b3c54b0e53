"""Services: the only way screens and the web reach the data. One module a concern."""
