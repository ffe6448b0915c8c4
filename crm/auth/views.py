from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.auth.devices import current_device, remember_device
from crm.auth.forms import ChangePasswordForm, EmailPreferencesForm, LoginForm, PreferencesForm
from crm.auth.passwords import password_problem, verify_password
from crm.auth.services import begin_session, end_all_sessions, end_session, set_password, sign_in
from crm.extensions import db
from crm.web.urls import is_local_path

bp = Blueprint("auth", __name__)
PROXY_WARNED = "crm_proxy_warned"  # in app.extensions: the missing CRM_PROXY_FIX is logged once per process


def client_address() -> str:
    """The address the login throttle counts. Behind a proxy with ``CRM_PROXY_FIX`` off it is the proxy's, shared by
    everyone: said once in the log, since only the person deploying can fix it."""
    if not current_app.config["CRM_PROXY_FIX"] and "X-Forwarded-For" in request.headers:
        if not current_app.extensions.get(PROXY_WARNED):
            current_app.extensions[PROXY_WARNED] = True
            current_app.logger.warning(
                "Requests arrive through a proxy (X-Forwarded-For) but CRM_PROXY_FIX is off: every user shares the "
                "proxy's address for the login throttle and the audit log. Set CRM_PROXY_FIX=1."
            )
    return (request.remote_addr or "unknown")[:45]


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        device = current_device()
        known = device.trusted_for(form.username.data) if device else None
        result = sign_in(form.username.data, form.password.data, client_address(), known)
        db.session.commit()
        if result.user is not None:
            begin_session(result.user)
            db.session.commit()
            target = form.next.data if is_local_path(form.next.data) else url_for("web.home")
            response = redirect(target)
            remember_device(response, form.username.data, device)
            return response
        if result.throttled:
            minutes = current_app.config["CRM_LOGIN_WINDOW_MINUTES"]
            flash(_("登录失败次数过多，请 %(minutes)d 分钟后再试。", minutes=minutes), "danger")
        else:
            flash(_("用户名或密码错误，或账号已停用。"), "danger")
        form.password.data = ""
    return render_template("auth/login.html", form=form), 200


@bp.route("/logout", methods=["POST"])
def logout():
    end_session()
    db.session.commit()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    end_all_sessions(current_user)
    end_session()
    db.session.commit()
    flash(_("已在所有设备上退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    password_form = ChangePasswordForm(prefix="pw")
    prefs_form = PreferencesForm(prefix="prefs", locale=current_user.locale)
    return render_template("auth/account.html", password_form=password_form, prefs_form=prefs_form, email_form=_email_form())


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    password_form = ChangePasswordForm(prefix="pw")
    prefs_form = PreferencesForm(prefix="prefs", locale=current_user.locale)
    if password_form.validate_on_submit():
        if not verify_password(current_user.password_hash, password_form.current_password.data):
            password_form.current_password.errors.append(_("当前密码不正确"))
        elif problem := password_problem(password_form.new_password.data):
            password_form.new_password.errors.append(problem)
        else:
            set_password(current_user, password_form.new_password.data)
            # The password change ended every session, this one included: start a fresh one.
            # (Pass the user itself, not the current_user proxy, which would then point at itself.)
            begin_session(current_user._get_current_object())
            db.session.commit()
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", password_form=password_form, prefs_form=prefs_form, email_form=_email_form()), 400


@bp.route("/account/preferences", methods=["POST"])
@login_required
def preferences():
    prefs_form = PreferencesForm(prefix="prefs")
    if prefs_form.validate_on_submit():
        current_user.locale = prefs_form.locale.data
        db.session.commit()
        flash(_("设置已保存。"), "success")
        return redirect(url_for("auth.account"))
    password_form = ChangePasswordForm(prefix="pw")
    return render_template("auth/account.html", password_form=password_form, prefs_form=prefs_form, email_form=_email_form()), 400


def _email_form() -> EmailPreferencesForm:
    return EmailPreferencesForm(prefix="mail", formdata=None, obj=current_user)


@bp.route("/account/email", methods=["POST"])
@login_required
def email_preferences():
    """Opt out of the weekly digest; choose alert email."""
    email_form = EmailPreferencesForm(prefix="mail")
    if email_form.validate_on_submit():
        current_user.digest_email = bool(email_form.digest_email.data)
        current_user.alert_email = bool(email_form.alert_email.data)
        db.session.commit()
        flash(_("邮件设置已保存。"), "success")
        return redirect(url_for("auth.account"))
    password_form = ChangePasswordForm(prefix="pw")
    prefs_form = PreferencesForm(prefix="prefs", locale=current_user.locale)
    return render_template("auth/account.html", password_form=password_form, prefs_form=prefs_form, email_form=email_form), 400
