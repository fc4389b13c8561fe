"""Shared by the search tests: a copy of the sample site's configuration."""
import os
import shutil


def copy_site_config(src, site):
    """Copies site.yaml, themes/ and templates/ (where present) of the site
    src into the folder site, which must exist."""
    for name in ("site.yaml", "themes", "templates"):
        p = os.path.join(src, name)
        if os.path.isdir(p):
            shutil.copytree(p, os.path.join(site, name))
        elif os.path.exists(p):
            shutil.copy(p, site)
