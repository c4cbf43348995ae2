"""Rewrite the OpenAPI snapshot after a deliberate change to the API: `make openapi`."""

import json
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
django.setup()

from django.test import Client  # noqa: E402

document = Client().get("/api/v3/openapi.json", headers={"host": "localhost"}).json()
snapshot = Path(__file__).parent / "openapi.json"
snapshot.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
print(f"Wrote {snapshot} ({len(document['paths'])} paths).")
