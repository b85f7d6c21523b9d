"""Minbar: an Arabic-first publishing platform for news and opinion sites."""
