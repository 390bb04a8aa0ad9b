"""Every page of the workbench. Each view declares the roles it answers (zicht.web.roles.allow)."""

from django.urls import path

from zicht.web.views import accounts, audit, cases, consult, double, links, monitor, themes

urlpatterns = [
    path("login/", accounts.Login.as_view(), name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("", accounts.home, name="home"),
    path("users/", accounts.users, name="users"),
    path("cases/", cases.queue, name="queue"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/consult/", consult.open_thread, name="consult"),
    path("cases/<int:pk>/remove/", cases.remove, name="remove"),
    path("consultations/", consult.consultations, name="consultations"),
    path("consultations/<int:pk>/reply/", consult.reply, name="reply"),
    path("consultations/<int:pk>/decide/", consult.decide, name="decide"),
    path("double/", double.samples, name="samples"),
    path("double/assign/", double.assign, name="assign"),
    path("double/<int:pk>/", double.blind, name="blind"),
    path("double/<int:pk>/reopen/", double.reopen_blind, name="reopen_blind"),
    path("double/sample/<str:sample>/", double.agreement, name="agreement"),
    path("links/", links.proposals, name="links"),
    path("links/<int:pk>/", links.pair, name="pair"),
    path("links/<int:pk>/decide/", links.decide_pair, name="decide_pair"),
    path("links/undo/<int:pk>/", links.undo, name="undo"),
    path("monitor/", monitor.monitor, name="monitor"),
    path("monitor/<int:year>/<str:name>", monitor.download, name="download"),
    path("monitor/figure/<int:year>/<str:table_id>.svg", monitor.figure, name="figure"),
    path("themes/", themes.first, name="themes_first"),
    path("themes/<str:analysis_id>/", themes.themes, name="themes"),
    path("themes/<str:analysis_id>/<int:pk>/code/", themes.code, name="code_passage"),
    path("themes/passage/<int:pk>/quote/", themes.quote, name="quote_passage"),
    path("themes/passage/<int:pk>/remove/", themes.remove, name="remove_passage"),
    path("audit/", audit.trail, name="audit"),
    path("audit.csv", audit.export, name="audit_csv"),
]
