"""Logging in and out, the start page by role, and the coordinator's list of users."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zicht.errors import AccountRefused
from zicht.store.accounts import add_account, change_role, close_account, role_of
from zicht.store.roles import COORDINATOR, EVERYONE, ROLES
from zicht.web.roles import allow


class Login(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@allow(*EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    return redirect("monitor" if role is not None and not role.sees_transcripts else "queue")


@allow(*EVERYONE)
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout as end_session

    end_session(request)
    return redirect("login")


@allow(COORDINATOR.id)
def users(request: HttpRequest) -> HttpResponse:
    """Add a colleague, change a role, or close an account (kept, for the audit trail)."""
    User = get_user_model()
    if request.method == "POST":
        name = request.POST.get("username", "").strip()
        action = request.POST.get("action", "add")
        if action == "add":
            password, role = request.POST.get("password", ""), request.POST.get("role", "")
            try:
                account = add_account(name, password, role, request.user.get_username())
            except AccountRefused as e:
                messages.error(request, str(e))
            else:  # the name as the login reads it (NFKC)
                messages.success(request, f"{account.get_username()} is toegevoegd als {ROLES[role].label}.")
        else:
            user = User.objects.filter(username=name).first()
            if user is None or user.pk == request.user.pk:
                messages.error(request, "Uw eigen account kunt u hier niet wijzigen.")
            elif action == "close":
                close_account(user, request.user.get_username())
                messages.success(request, f"Het account van {name} is gesloten.")
            elif action == "role" and request.POST.get("role") in ROLES:
                change_role(user, request.POST["role"], request.user.get_username())
                messages.success(request, f"{name} is nu {ROLES[request.POST['role']].label}.")
        return redirect("users")
    people = [(u, role_of(u)) for u in User.objects.order_by("username").prefetch_related("groups")]
    return render(request, "web/users.html", {"people": people, "roles": ROLES.values()})
