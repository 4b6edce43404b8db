package com.securebase.notifications.domain;

import static com.securebase.notifications.domain.NotificationType.ALERT;
import static com.securebase.notifications.domain.NotificationType.BILLING;
import static com.securebase.notifications.domain.NotificationType.TICKET;
import static com.securebase.tenancy.Roles.ADMIN;
import static com.securebase.tenancy.Roles.ANALYST;
import static com.securebase.tenancy.Roles.OWNER;
import static com.securebase.tenancy.Roles.SUPPORT;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which domain events become notifications, of what type and severity, for whom, and what they say:
 * the one table of rules. An event type without a rule is not notified. Recipients are users named
 * in the event's data and/or every active user of the tenant holding one of a set of roles (as the
 * gateway's user events told us); a user named twice gets one notification.
 */
public final class NotificationRules {
  private NotificationRules() {}

  private static final String BILLING_ROLE = com.securebase.tenancy.Roles.BILLING;

  /**
   * One rule.
   *
   * @param applies whether this event is worth notifying at all (e.g. a ticket update that changed
   *     only its tags is not)
   * @param metadata data fields copied into the notification's metadata (ids a client links to)
   */
  public record Rule(
      String eventType,
      NotificationType type,
      Function<JsonNode, Severity> severity,
      Predicate<JsonNode> applies,
      Audience audience,
      MessageTemplate title,
      MessageTemplate body,
      MessageTemplate link,
      List<String> metadata) {}

  /**
   * Who receives a rule's notification.
   *
   * @param users data fields holding a user id, each with the condition under which it is notified
   * @param roles tenant roles whose active users are notified
   * @param except a data field naming a user never notified (whoever caused the event)
   */
  public record Audience(Map<String, Predicate<JsonNode>> users, Set<String> roles, String except) {
    static Audience of() {
      return new Audience(Map.of(), Set.of(), null);
    }

    Audience user(String field) {
      return user(field, data -> true);
    }

    Audience user(String field, Predicate<JsonNode> when) {
      java.util.LinkedHashMap<String, Predicate<JsonNode>> more =
          new java.util.LinkedHashMap<>(users);
      more.put(field, when);
      return new Audience(Map.copyOf(more), roles, except);
    }

    Audience roles(String... wanted) {
      return new Audience(users, Set.of(wanted), except);
    }

    Audience except(String field) {
      return new Audience(users, roles, field);
    }
  }

  private static final Predicate<JsonNode> ALWAYS = data -> true;
  private static final Predicate<JsonNode> PUBLIC_COMMENT =
      data -> "public".equals(data.path("visibility").asText());

  private static Function<JsonNode, Severity> fixed(Severity severity) {
    return data -> severity;
  }

  /** A critical ticket is a critical notification, a high one a warning. */
  private static Severity byTicketPriority(JsonNode data) {
    return switch (data.path("priority").asText()) {
      case "critical" -> Severity.CRITICAL;
      case "high" -> Severity.WARNING;
      default -> Severity.INFO;
    };
  }

  private static Predicate<JsonNode> changed(String... fields) {
    return data -> {
      for (JsonNode change : data.path("changes")) {
        if (Set.of(fields).contains(change.asText())) {
          return true;
        }
      }
      return false;
    };
  }

  private static Rule rule(
      String eventType,
      NotificationType type,
      Function<JsonNode, Severity> severity,
      Predicate<JsonNode> applies,
      Audience audience,
      String title,
      String body,
      String link,
      String... metadata) {
    return new Rule(
        eventType,
        type,
        severity,
        applies,
        audience,
        new MessageTemplate(title),
        new MessageTemplate(body),
        new MessageTemplate(link),
        List.of(metadata));
  }

  static final List<Rule> RULES =
      List.of(
          rule(
              "securebase.support.ticket.created",
              TICKET,
              NotificationRules::byTicketPriority,
              ALWAYS,
              Audience.of().user("assigneeId").roles(SUPPORT, ADMIN).except("requesterId"),
              "New ticket: {subject}",
              "A {priority} priority ticket was opened.",
              "/v1/support/tickets/{ticketId}",
              "ticketId"),
          rule(
              "securebase.support.ticket.updated",
              TICKET,
              fixed(Severity.INFO),
              changed("status", "assigneeId"),
              Audience.of().user("requesterId").user("assigneeId"),
              "Ticket updated: {subject}",
              "The ticket is now {status}.",
              "/v1/support/tickets/{ticketId}",
              "ticketId"),
          rule(
              "securebase.support.ticket.commented",
              TICKET,
              fixed(Severity.INFO),
              ALWAYS,
              // An internal note never reaches the requester.
              Audience.of()
                  .user("requesterId", PUBLIC_COMMENT)
                  .user("assigneeId")
                  .except("authorId"),
              "New comment on {subject}",
              "{excerpt}",
              "/v1/support/tickets/{ticketId}",
              "ticketId",
              "commentId"),
          rule(
              "securebase.support.ticket.sla_breached",
              ALERT,
              data ->
                  "critical".equals(data.path("priority").asText())
                      ? Severity.CRITICAL
                      : Severity.WARNING,
              ALWAYS,
              Audience.of().user("assigneeId").roles(SUPPORT, ADMIN),
              "SLA breached: {subject}",
              "No first response within {slaTargetMinutes} minutes ({priority} priority).",
              "/v1/support/tickets/{ticketId}",
              "ticketId"),
          rule(
              "securebase.billing.invoice.created",
              BILLING,
              fixed(Severity.INFO),
              ALWAYS,
              Audience.of().roles(BILLING_ROLE),
              "Draft invoice {number}",
              "A draft invoice of {total} {currency} was created for {periodStart} to {periodEnd}.",
              "/v1/invoices/{invoiceId}",
              "invoiceId"),
          rule(
              "securebase.billing.invoice.finalized",
              BILLING,
              fixed(Severity.INFO),
              ALWAYS,
              Audience.of().roles(OWNER, BILLING_ROLE),
              "Invoice {number} is ready",
              "Total {total} {currency} for {periodStart} to {periodEnd}.",
              "/v1/invoices/{invoiceId}",
              "invoiceId"),
          rule(
              "securebase.billing.invoice.paid",
              BILLING,
              fixed(Severity.INFO),
              ALWAYS,
              Audience.of().roles(OWNER, BILLING_ROLE),
              "Invoice {number} paid",
              "Payment of {total} {currency} received.",
              "/v1/invoices/{invoiceId}",
              "invoiceId"),
          rule(
              "securebase.billing.invoice.voided",
              BILLING,
              fixed(Severity.WARNING),
              ALWAYS,
              Audience.of().roles(OWNER, BILLING_ROLE),
              "Invoice {number} voided",
              "Invoice {number} of {total} {currency} was voided.",
              "/v1/invoices/{invoiceId}",
              "invoiceId"),
          rule(
              "securebase.billing.usage.threshold_reached",
              ALERT,
              fixed(Severity.WARNING),
              ALWAYS,
              Audience.of().roles(OWNER, ADMIN, BILLING_ROLE),
              "Usage threshold reached: {metricCode}",
              "Usage reached {currentQuantity} (threshold {threshold}); projected charge {projectedCharge} {currency}.",
              "/v1/usage",
              "metricCode"),
          rule(
              "securebase.forecasting.budget.threshold_reached",
              ALERT,
              data ->
                  data.path("thresholdPercent").asInt() >= 100
                      ? Severity.CRITICAL
                      : Severity.WARNING,
              ALWAYS,
              Audience.of().roles(OWNER, ADMIN, BILLING_ROLE, ANALYST),
              "Budget {budgetName} at {thresholdPercent}%",
              "{basis} spend {spendAmount} {currency} of a {budgetAmount} {currency} budget.",
              "/v1/budgets/{budgetId}",
              "budgetId"),
          rule(
              "securebase.forecasting.cost.anomaly_detected",
              ALERT,
              fixed(Severity.WARNING),
              ALWAYS,
              Audience.of().roles(OWNER, ADMIN, ANALYST),
              "Cost anomaly detected",
              "Cost {actualCost} {currency} is {direction} the expected {expectedCost} {currency} for {periodStart}.",
              "/v1/anomalies/{anomalyId}",
              "anomalyId"));

  private static final Map<String, Rule> BY_TYPE =
      RULES.stream().collect(Collectors.toUnmodifiableMap(Rule::eventType, r -> r));

  public static Optional<Rule> forEvent(String eventType) {
    return Optional.ofNullable(BY_TYPE.get(eventType));
  }

  /** The event types some rule turns into notifications. */
  public static Set<String> eventTypes() {
    return BY_TYPE.keySet();
  }

  /**
   * Whether a channel is on when neither the user nor the tenant said: email for everything but
   * plain information, Slack only once a tenant turns it on.
   */
  public static boolean builtInDefault(NotificationType type, Channel channel) {
    return channel == Channel.EMAIL && type != NotificationType.INFO;
  }
}
