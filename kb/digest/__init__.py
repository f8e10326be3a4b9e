"""Weekly digest emails: subscriptions, the digest as data, its email rendering, and delivery.

  subscribe(store, "ana@example.com", people=["王小川"], topics=["pricing"])
  d = build_digest(store, date(2024, 5, 20), date(2024, 5, 26), subscription)   # Digest
  d = build_digest(store, since, until, unsure_below=settings.unsure_below, hide_unsure=True)
  msg = render(d, to="ana@example.com")                                         # EmailMessage
  run_digest(store, settings, since, until, smtp=smtp_config(settings, "127.0.0.1:2525"))

Delivery is recorded per recipient and window in `digest_sends` (see kb.digest.send).
"""

from kb.digest.build import Digest, build_digest, iso_week_label
from kb.digest.lookup import Names
from kb.digest.render import eml_bytes, render, render_html, render_text
from kb.digest.send import (
    Delivery,
    DeliveryError,
    SmtpConfig,
    recipients,
    run_digest,
    send_status,
    sends,
    smtp_config,
)
from kb.digest.subscriptions import (
    Subscription,
    get_subscription,
    list_subscriptions,
    subscribe,
    unsubscribe,
    validate_address,
)

__all__ = [
    "Delivery",
    "DeliveryError",
    "Digest",
    "Names",
    "SmtpConfig",
    "Subscription",
    "build_digest",
    "eml_bytes",
    "get_subscription",
    "iso_week_label",
    "list_subscriptions",
    "recipients",
    "render",
    "render_html",
    "render_text",
    "run_digest",
    "send_status",
    "sends",
    "smtp_config",
    "subscribe",
    "unsubscribe",
    "validate_address",
]
