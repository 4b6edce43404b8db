package com.securebase.notifications;

import static io.restassured.RestAssured.given;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Users, domain events as other services publish them, and inbox calls. */
final class NotificationFixtures {
  private NotificationFixtures() {}

  static final String NOTIFICATIONS = "/v1/notifications";
  static final String PREFERENCES = "/v1/preferences";
  static final Duration WAIT = Duration.ofSeconds(30);

  record Person(UUID tenant, UUID id, String token, String email) {}

  /** A user known only by their token (the gateway never told notifications about them). */
  static Person person(UUID tenant, String... roles) {
    UUID id = UUID.randomUUID();
    return new Person(tenant, id, TestTokens.user(tenant, id, roles), id + "@example.com");
  }

  /** A user the gateway announced (user.activated), so role rules and email reach them. */
  static Person member(UUID tenant, String... roles) {
    Person p = person(tenant, roles);
    publishUser(p, "activated", "active", 1, roles);
    // Topics are not ordered with each other: wait until the directory has the user.
    until(
        "user " + p.id() + " in the directory",
        () -> TestDatabase.count("select count(*) from recipient where user_id = ?", p.id()),
        n -> n == 1,
        WAIT);
    return p;
  }

  static void publishUser(Person p, String verb, String status, int version, String... roles) {
    Map<String, Object> d = new LinkedHashMap<>();
    String now = Instant.now().toString();
    d.put("tenantId", p.tenant().toString());
    d.put("userId", p.id().toString());
    d.put("email", p.email());
    d.put("displayName", "User " + p.id().toString().substring(0, 8));
    d.put("roles", List.of(roles));
    d.put("status", status);
    d.put("mfaEnabled", false);
    d.put("invitedBy", null);
    d.put("createdAt", now);
    d.put("activatedAt", now);
    d.put("removedAt", "removed".equals(status) ? now : null);
    d.put("updatedAt", now);
    d.put("version", version);
    publish("gateway", "securebase.gateway.user." + verb, p.tenant(), p.id().toString(), d);
  }

  static void publishBranding(UUID tenant, String displayName, String color, int version) {
    Map<String, Object> d = new LinkedHashMap<>();
    String now = Instant.now().toString();
    d.put("tenantId", tenant.toString());
    d.put("name", "Tenant " + tenant.toString().substring(0, 8));
    Map<String, Object> branding = new LinkedHashMap<>();
    branding.put("displayName", displayName);
    branding.put("primaryColor", color);
    branding.put("logoUrl", null);
    d.put("branding", branding);
    d.put("tier", "standard");
    d.put("ipAllowlist", List.of());
    d.put("mfaRequired", false);
    d.put("sessionLengthMinutes", 60);
    d.put("taxRate", "0.08");
    d.put("createdAt", now);
    d.put("updatedAt", now);
    d.put("version", version);
    boolean created = version == 1;
    if (!created) {
      d.put("changes", List.of("branding.displayName", "branding.primaryColor"));
    }
    publish(
        "gateway",
        created ? "securebase.gateway.tenant.created" : "securebase.gateway.tenant.updated",
        tenant,
        tenant.toString(),
        d);
  }

  static Map<String, Object> ticket(
      UUID tenant, UUID ticketId, String subject, String priority, UUID requester, UUID assignee) {
    Map<String, Object> d = new LinkedHashMap<>();
    String now = Instant.now().toString();
    d.put("ticketId", ticketId.toString());
    d.put("tenantId", tenant.toString());
    d.put("subject", subject);
    d.put("priority", priority);
    d.put("status", "open");
    d.put("category", null);
    d.put("assigneeId", assignee == null ? null : assignee.toString());
    d.put("requesterId", requester.toString());
    d.put("tags", List.of());
    Map<String, Object> sla = new LinkedHashMap<>();
    sla.put("firstResponseDueAt", now);
    sla.put("state", "pending");
    sla.put("respondedAt", null);
    d.put("slaState", sla);
    d.put("createdAt", now);
    d.put("updatedAt", now);
    d.put("version", 1);
    return d;
  }

  static EventEnvelope ticketCreated(
      UUID tenant, String subject, String priority, UUID requester, UUID assignee) {
    UUID ticketId = UUID.randomUUID();
    return event(
        "support",
        "securebase.support.ticket.created",
        tenant,
        ticketId.toString(),
        ticket(tenant, ticketId, subject, priority, requester, assignee));
  }

  /** A status change of a ticket the requester opened: notifies requester (and assignee). */
  static EventEnvelope ticketStatusChanged(UUID tenant, String subject, UUID requester) {
    UUID ticketId = UUID.randomUUID();
    Map<String, Object> d = ticket(tenant, ticketId, subject, "low", requester, null);
    d.put("status", "in_progress");
    d.put("previousStatus", "open");
    d.put("changes", List.of("status"));
    d.put("version", 2);
    return event("support", "securebase.support.ticket.updated", tenant, ticketId.toString(), d);
  }

  static EventEnvelope commented(
      UUID tenant, UUID requester, UUID assignee, UUID author, String visibility, String text) {
    UUID ticketId = UUID.randomUUID();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("ticketId", ticketId.toString());
    d.put("commentId", UUID.randomUUID().toString());
    d.put("authorId", author.toString());
    d.put("visibility", visibility);
    d.put("excerpt", text);
    d.put("firstResponse", false);
    d.put("subject", "Comment test");
    d.put("priority", "medium");
    d.put("status", "open");
    d.put("assigneeId", assignee == null ? null : assignee.toString());
    d.put("requesterId", requester.toString());
    d.put("createdAt", Instant.now().toString());
    return event("support", "securebase.support.ticket.commented", tenant, ticketId.toString(), d);
  }

  static EventEnvelope invoiceFinalized(UUID tenant, String number, String total) {
    UUID invoiceId = UUID.randomUUID();
    Map<String, Object> d = new LinkedHashMap<>();
    String now = Instant.now().toString();
    d.put("tenantId", tenant.toString());
    d.put("invoiceId", invoiceId.toString());
    d.put("number", number);
    d.put("status", "finalized");
    d.put("tier", "standard");
    d.put("periodStart", "2026-10-01T00:00:00Z");
    d.put("periodEnd", "2026-10-31T00:00:00Z");
    d.put("currency", "USD");
    d.put("lines", List.of());
    d.put("subtotal", total);
    d.put("discount", "0.00");
    d.put("taxRate", "0.08");
    d.put("tax", "0.00");
    d.put("total", total);
    d.put("createdAt", now);
    d.put("finalizedAt", now);
    d.put("paidAt", null);
    d.put("voidedAt", null);
    d.put("updatedAt", now);
    d.put("version", 2);
    return event(
        "billing", "securebase.billing.invoice.finalized", tenant, invoiceId.toString(), d);
  }

  static EventEnvelope budgetReached(UUID tenant, String name, int percent) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("budgetId", UUID.randomUUID().toString());
    d.put("budgetName", name);
    d.put("service", null);
    d.put("periodStart", "2026-11-01T00:00:00Z");
    d.put("periodEnd", "2026-11-30T00:00:00Z");
    d.put("currency", "USD");
    d.put("budgetAmount", "1000.00");
    d.put("thresholdPercent", percent);
    d.put("basis", "actual");
    d.put("spendAmount", percent + "0.00");
    d.put("percentUsed", percent);
    d.put("reachedAt", Instant.now().toString());
    return event(
        "forecasting",
        "securebase.forecasting.budget.threshold_reached",
        tenant,
        (String) d.get("budgetId"),
        d);
  }

  static EventEnvelope usageReached(UUID tenant, String metric) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("metricCode", metric);
    d.put("thresholdId", null);
    d.put("threshold", "1000");
    d.put("currentQuantity", "1002");
    d.put("projectedCharge", "120.00");
    d.put("currency", "USD");
    d.put("periodStart", "2026-11-01T00:00:00Z");
    d.put("periodEnd", "2026-11-30T00:00:00Z");
    d.put("reachedAt", Instant.now().toString());
    return event("billing", "securebase.billing.usage.threshold_reached", tenant, metric, d);
  }

  /** An event as its owning service creates it: catalog type, schema-valid data. */
  static EventEnvelope event(
      String service, String type, UUID tenant, String subject, Map<String, Object> data) {
    return new DomainEvents(service).create(type, tenant.toString(), subject, data);
  }

  static void publish(EventEnvelope event) {
    BrokerEvents.publish(
        com.securebase.catalog.EventCatalog.load().type(event.type()).topic(), event);
  }

  private static void publish(
      String service, String type, UUID tenant, String subject, Map<String, Object> data) {
    publish(event(service, type, tenant, subject, data));
  }

  static JsonPath inbox(Person p, String query) {
    return given()
        .auth()
        .oauth2(p.token())
        .get(NOTIFICATIONS + (query == null ? "" : "?" + query))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Polls the inbox until it holds {@code count} notifications from {@code sourceEventId}. */
  static List<Map<String, Object>> awaitFrom(Person p, String sourceEventId, int count) {
    return until(
        count + " notification(s) of event " + sourceEventId + " in the inbox of " + p.id(),
        () ->
            inbox(p, "limit=100").<Map<String, Object>>getList("items").stream()
                .filter(
                    n ->
                        n.get("source") instanceof Map<?, ?> s
                            && sourceEventId.equals(s.get("eventId")))
                .toList(),
        found -> found.size() >= count,
        WAIT);
  }

  /**
   * Polls {@code probe} until {@code done} holds and returns that value. Fails the test when {@code
   * timeout} passes first, saying what it waited for and the last value seen.
   */
  static <T> T until(String what, Supplier<T> probe, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T value = probe.get();
    while (!done.test(value)) {
      if (System.nanoTime() >= deadline) {
        throw new AssertionError(
            "Waited " + timeout + " for " + what + "; the last value was " + value);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      value = probe.get();
    }
    return value;
  }

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }
}
