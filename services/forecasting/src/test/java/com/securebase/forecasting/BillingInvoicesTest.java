package com.securebase.forecasting;

import static com.securebase.forecasting.ForecastFixtures.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Billing's invoice events from the real broker become SecureBase's monthly cost history. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "forecasting"))
class BillingInvoicesTest {

  private static EventEnvelope invoice(
      UUID tenant, UUID invoice, String status, String total, int version) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("invoiceId", invoice.toString());
    d.put("number", "INV-2026-0001");
    d.put("status", status);
    d.put("tier", "standard");
    d.put("periodStart", "2026-03-01T00:00:00Z");
    d.put("periodEnd", "2026-04-01T00:00:00Z");
    d.put("currency", "USD");
    d.put("lines", List.of());
    d.put("subtotal", total);
    d.put("discount", "0.00");
    d.put("taxRate", "0.08");
    d.put("tax", "0.00");
    d.put("total", total);
    d.put("createdAt", "2026-04-01T02:00:00Z");
    d.put("finalizedAt", status.equals("draft") ? null : "2026-04-02T02:00:00Z");
    d.put("paidAt", null);
    d.put("voidedAt", status.equals("void") ? "2026-04-03T02:00:00Z" : null);
    d.put("updatedAt", "2026-04-03T02:00:00Z");
    d.put("version", version);
    String verb =
        switch (status) {
          case "draft" -> "created";
          case "void" -> "voided";
          default -> status;
        };
    return new DomainEvents("billing")
        .create("securebase.billing.invoice." + verb, tenant.toString(), invoice.toString(), d);
  }

  private static void publish(EventEnvelope e) {
    BrokerEvents.publish(EventCatalog.load().type(e.type()).topic(), e);
  }

  private static List<Map<String, Object>> costs(UUID tenant) {
    return TestDatabase.rows(
        "select service, granularity, period_start::text as month, amount::text as amount,"
            + " source_version as version from cost_point where tenant_id = ?::uuid",
        tenant.toString());
  }

  @Test
  void invoicesBookTheirTotalToTheirMonthAndOlderOrRepeatedEventsChangeNothing() {
    UUID tenant = UUID.randomUUID();
    UUID id = UUID.randomUUID();
    EventEnvelope finalized = invoice(tenant, id, "finalized", "2170.00", 2);
    publish(invoice(tenant, id, "draft", "2160.00", 1));
    publish(finalized);
    until(
        () ->
            costs(tenant)
                .equals(
                    List.of(
                        Map.of(
                            "service",
                            "SecureBase",
                            "granularity",
                            "month",
                            "month",
                            "2026-03-01",
                            "amount",
                            "2170.00",
                            "version",
                            2))),
        "the finalized invoice's cost");
    // The draft again (late, older) and the finalized event redelivered: nothing changes.
    publish(invoice(tenant, id, "draft", "1.00", 1));
    publish(finalized);
    EventEnvelope voided = invoice(tenant, id, "void", "2170.00", 3);
    publish(voided);
    until(() -> "0.00".equals(costs(tenant).getFirst().get("amount")), "the voided invoice's zero");
    assertThat(costs(tenant)).hasSize(1);
    assertThat(costs(tenant).getFirst()).containsEntry("version", 3);
    assertThat(
            TestDatabase.count(
                "select count(*) from processed_event where consumer = 'forecasting-invoices' and event_id = ?",
                finalized.id()))
        .isEqualTo(1);
    // The change queued the tenant's checks, which ran and took it off the queue.
    until(
        () ->
            TestDatabase.count(
                    "select count(*) from cost_change where tenant_id = ?::uuid", tenant.toString())
                == 0,
        "the tenant's check");
  }
}
