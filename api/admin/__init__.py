"""The admin for Chamber staff at /admin: login, pages over the product's tables, CSV exports.

install_admin(app)      # in create_app: the routers and the handler that turns AdminStop into a page
"""

from __future__ import annotations

from fastapi import FastAPI

from api.admin import exports, login, operations, pages
from api.admin.auth import AdminStop
from api.admin.render import admin_stop_handler


def install_admin(app: FastAPI) -> None:
    """Add the admin's routes (the CSV routes before the pages, so /admin/x.csv is never a page)."""
    app.add_exception_handler(AdminStop, admin_stop_handler)
    for module in (login, exports, operations, pages):
        app.include_router(module.router)
