package com.securebase.billing;

import static io.restassured.RestAssured.given;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tenants as the gateway announces them, usage calls and polling, shared by billing's tests. */
final class BillingFixtures {
  private BillingFixtures() {}

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  static String token(UUID tenant, String... roles) {
    return TestTokens.user(tenant, UUID.randomUUID(), roles);
  }

  /** Publishes a tenant event as the gateway does and waits until billing has applied it. */
  static void tenant(
      UUID tenant, String name, String tier, String taxRate, Instant at, int version) {
    tenant(tenant, name, tier, taxRate, at, version, null);
  }

  static void tenant(
      UUID tenant,
      String name,
      String tier,
      String taxRate,
      Instant at,
      int version,
      String logoUrl) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("name", name);
    Map<String, Object> branding = new LinkedHashMap<>();
    branding.put("displayName", name);
    branding.put("primaryColor", "#0B6E4F");
    branding.put("logoUrl", logoUrl);
    d.put("branding", branding);
    d.put("tier", tier);
    d.put("ipAllowlist", List.of());
    d.put("mfaRequired", false);
    d.put("sessionLengthMinutes", 60);
    d.put("taxRate", taxRate);
    d.put("createdAt", at.toString());
    d.put("updatedAt", at.toString());
    d.put("version", version);
    if (version > 1) {
      d.put("changes", List.of("tier"));
    }
    publish(
        new DomainEvents("gateway")
            .create(
                version == 1
                    ? "securebase.gateway.tenant.created"
                    : "securebase.gateway.tenant.updated",
                tenant.toString(),
                tenant.toString(),
                d));
    until(
        () ->
            TestDatabase.count(
                    "select count(*) from tenant_account where tenant_id = ?::uuid and"
                        + " tenant_version >= ?",
                    tenant.toString(),
                    version)
                == 1,
        "tenant " + tenant + " at version " + version);
  }

  static void publish(EventEnvelope event) {
    BrokerEvents.publish(EventCatalog.load().type(event.type()).topic(), event);
  }

  static String record(String transactionId, String metric, String quantity, Instant at) {
    return "{\"transactionId\":\""
        + transactionId
        + "\",\"metricCode\":\""
        + metric
        + "\",\"quantity\":"
        + quantity
        + ",\"timestamp\":\""
        + at
        + "\"}";
  }

  static ValidatableResponse usage(String token, String... records) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body("{\"records\":[" + String.join(",", records) + "]}")
        .post("/v1/usage")
        .then();
  }

  static ValidatableResponse runFor(String token, String period) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body("{\"period\":\"" + period + "\"}")
        .post("/v1/invoices/runs")
        .then();
  }

  static ValidatableResponse post(String token, String path) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).post(path).then();
  }

  /** Polls until {@code done}, failing the test with {@code what} on timeout. */
  static void until(java.util.function.BooleanSupplier done, String what) {
    com.securebase.testkit.Polling.until(done, what);
  }
}
