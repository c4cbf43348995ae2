"""The plugin's admin: viewsets and views, registered with Wagtail in ``wagtail_hooks``."""
