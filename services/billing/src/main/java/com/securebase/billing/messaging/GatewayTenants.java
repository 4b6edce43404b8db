package com.securebase.billing.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.billing.persistence.TenantAccount;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps billing's copy of each tenant from the gateway's {@code tenant.created|updated} events:
 * name and branding for the PDF, tax rate, and the tier with its history (the day a tier took
 * effect, for proration). An event older than the stored version changes nothing, so a late
 * redelivery never undoes a newer change.
 */
@ApplicationScoped
public class GatewayTenants {
  static final String CONSUMER = "billing-tenants";

  @Inject IdempotentConsumer idempotent;

  @Incoming("gateway-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return IdempotentConsumer.untilDone(
        idempotent.process(CONSUMER, record, GatewayTenants::apply));
  }

  static Uni<Void> apply(Mutiny.Session session, EventEnvelope event) {
    if (!event.type().equals("securebase.gateway.tenant.created")
        && !event.type().equals("securebase.gateway.tenant.updated")) {
      return Uni.createFrom().voidItem(); // users and keys do not change what is billed
    }
    JsonNode d = event.data();
    UUID tenant = UUID.fromString(d.path("tenantId").asText());
    int version = d.path("version").asInt();
    OffsetDateTime updatedAt = OffsetDateTime.parse(d.path("updatedAt").asText());
    return TenantAccount.<TenantAccount>findById(tenant)
        .chain(
            found -> {
              if (found != null && found.tenantVersion >= version) {
                return Uni.createFrom().voidItem();
              }
              TenantAccount a = found != null ? found : new TenantAccount();
              boolean tierChanged = found == null || !found.tier.equals(d.path("tier").asText());
              a.tenantId = tenant;
              a.name = d.path("name").asText();
              JsonNode branding = d.path("branding");
              a.displayName = text(branding.path("displayName"));
              a.primaryColor = text(branding.path("primaryColor"));
              a.logoUrl = text(branding.path("logoUrl"));
              a.tier = d.path("tier").asText();
              a.taxRate = new BigDecimal(d.path("taxRate").asText());
              a.tenantVersion = version;
              a.updatedAt = updatedAt;
              Uni<Void> saved = a.<TenantAccount>persist().replaceWithVoid();
              if (!tierChanged) {
                return saved;
              }
              // A created tenant's tier counts from its creation day; a change from its day.
              OffsetDateTime from =
                  found == null ? OffsetDateTime.parse(d.path("createdAt").asText()) : updatedAt;
              return saved.chain(
                  () ->
                      session
                          .createNativeQuery(
                              "insert into tenant_tier_change (tenant_id, effective_on, tier,"
                                  + " tenant_version) values (:tenant, :day, :tier, :version) on"
                                  + " conflict (tenant_id, effective_on) do update set tier ="
                                  + " excluded.tier, tenant_version = excluded.tenant_version"
                                  + " where tenant_tier_change.tenant_version <"
                                  + " excluded.tenant_version")
                          .setParameter("tenant", tenant)
                          .setParameter(
                              "day", from.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate())
                          .setParameter("tier", a.tier)
                          .setParameter("version", version)
                          .executeUpdate()
                          .replaceWithVoid());
            });
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
