"""Chinese error pages; never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from markupsafe import escape
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from crm.extensions import db


FALLBACK_PAGE = (
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{code}</title>"
    "<body><h1>{code} {title}</h1><p>{message}</p><p><a href=\"/\">返回首页</a></p></body></html>"
)


def _page(code: int, title: str, message: str):  # type: ignore[no-untyped-def]
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception:  # the error page itself must never fail; fall back to plain HTML
        current_app.logger.exception("error page could not be rendered")
        return FALLBACK_PAGE.format(code=code, title=escape(title), message=escape(message)), code


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # type: ignore[no-untyped-def]
        return _page(400, _("请求已过期"), _("页面已过期或表单校验失败，请返回上一页刷新后重新提交。"))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        texts = {
            400: (_("请求有误"), _("提交的内容无法处理，请检查后重试。")),
            403: (_("没有权限"), _("您没有执行此操作的权限。如需开通，请联系管理员。")),
            404: (_("页面不存在"), _("您要找的页面不存在，或您无权查看。")),
            405: (_("请求方式不正确"), _("请通过页面上的按钮操作。")),
            413: (_("文件过大"), _("上传的内容超过了大小限制。")),
        }
        code = error.code or 500
        if code not in texts:
            return error
        title, message = texts[code]
        return _page(code, title, message)

    @app.errorhandler(InternalServerError)
    @app.errorhandler(Exception)
    def _server_error(error: Exception):  # type: ignore[no-untyped-def]
        if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
            return _http(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _page(500, _("系统出错了"), _("服务器处理请求时出错，已记录日志。请稍后重试，或联系管理员。"))
