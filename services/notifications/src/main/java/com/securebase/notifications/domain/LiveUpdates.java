package com.securebase.notifications.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.tenancy.Roles;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The live updates a portal can subscribe to on the stream (PRODUCT §7), which domain events feed
 * them, and who may see each event: the same people who may read the entity over the owning
 * service's API. {@code compliance_update} is accepted but nothing feeds it yet (no such event in
 * the catalog).
 */
public final class LiveUpdates {
  private LiveUpdates() {}

  public static final Set<String> TOPICS =
      Set.of(
          "ticket_update",
          "invoice_created",
          "metrics_update",
          "compliance_update",
          "budget_alert");

  private static final Set<String> SUPPORT_STAFF = Set.of(Roles.OWNER, Roles.ADMIN, Roles.SUPPORT);

  /** Which live-update topic an event feeds, if any. */
  public static Optional<String> topicOf(String eventType) {
    return Optional.ofNullable(
        Map.of(
                "securebase.support.ticket.created", "ticket_update",
                "securebase.support.ticket.updated", "ticket_update",
                "securebase.support.ticket.commented", "ticket_update",
                "securebase.support.ticket.sla_breached", "ticket_update",
                "securebase.billing.invoice.created", "invoice_created",
                "securebase.forecasting.budget.threshold_reached", "budget_alert",
                "securebase.analytics.metrics.updated", "metrics_update")
            .get(eventType));
  }

  /**
   * Whether a subscriber may see this event: support staff see every ticket, others only their own
   * tickets' public changes (support's own rule); invoices go to owners, admins and billing; budget
   * alerts also to analysts; metric updates to everyone who may query analytics (all but support).
   */
  public static boolean visible(
      String topic, String eventType, JsonNode data, UUID user, Set<String> roles) {
    return switch (topic) {
      case "ticket_update" -> {
        if (roles.stream().anyMatch(SUPPORT_STAFF::contains)) {
          yield true;
        }
        boolean own = user.toString().equals(data.path("requesterId").asText());
        boolean internal =
            eventType.endsWith(".commented") && !"public".equals(data.path("visibility").asText());
        yield own && !internal;
      }
      case "invoice_created" ->
          roles.stream().anyMatch(Set.of(Roles.OWNER, Roles.ADMIN, Roles.BILLING)::contains);
      case "budget_alert" ->
          roles.stream()
              .anyMatch(Set.of(Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST)::contains);
      case "metrics_update" ->
          roles.stream()
              .anyMatch(
                  Set.of(Roles.OWNER, Roles.ADMIN, Roles.ANALYST, Roles.BILLING, Roles.VIEWER)
                      ::contains);
      default -> false;
    };
  }
}
