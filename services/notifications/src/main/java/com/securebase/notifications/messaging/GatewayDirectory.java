package com.securebase.notifications.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.IdempotentConsumer;
import com.securebase.notifications.persistence.Recipients;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps the local copy of what notifications need from the gateway: each tenant's users (email,
 * roles, status, for role rules and email addresses) and branding (for email and Slack). Both carry
 * the entity's version, so an older event arriving late never overwrites a newer state.
 */
@ApplicationScoped
public class GatewayDirectory {
  static final String CONSUMER = "notifications-directory";

  @Inject IdempotentConsumer idempotent;

  @Incoming("gateway-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return IdempotentConsumer.untilDone(
        idempotent.process(CONSUMER, record, GatewayDirectory::apply));
  }

  static Uni<Void> apply(Mutiny.Session session, EventEnvelope event) {
    JsonNode d = event.data();
    if (event.type().startsWith("securebase.gateway.user.")) {
      List<String> roles = new ArrayList<>();
      d.path("roles").forEach(r -> roles.add(r.asText()));
      return Recipients.upsert(
              session,
              UUID.fromString(d.path("tenantId").asText()),
              UUID.fromString(d.path("userId").asText()),
              d.path("email").asText(),
              d.path("displayName").isTextual() ? d.path("displayName").asText() : null,
              roles,
              d.path("status").asText(),
              d.path("version").asInt(),
              OffsetDateTime.parse(d.path("updatedAt").asText()))
          .replaceWithVoid();
    }
    if (event.type().startsWith("securebase.gateway.tenant.")) {
      JsonNode branding = d.path("branding");
      return session
          .createNativeQuery(
              "insert into tenant_settings (tenant_id, name, display_name, primary_color,"
                  + " logo_url, tenant_version, updated_at) values (:tenant, :name, :display,"
                  + " :color, :logo, :version, :updatedAt) on conflict (tenant_id) do update set"
                  + " name = excluded.name, display_name = excluded.display_name, primary_color ="
                  + " excluded.primary_color, logo_url = excluded.logo_url, tenant_version ="
                  + " excluded.tenant_version, updated_at = excluded.updated_at where"
                  + " tenant_settings.tenant_version is null or tenant_settings.tenant_version <"
                  + " excluded.tenant_version")
          .setParameter("tenant", UUID.fromString(d.path("tenantId").asText()))
          .setParameter("name", d.path("name").asText())
          .setParameter("display", text(branding.path("displayName")))
          .setParameter("color", text(branding.path("primaryColor")))
          .setParameter("logo", text(branding.path("logoUrl")))
          .setParameter("version", d.path("version").asInt())
          .setParameter("updatedAt", OffsetDateTime.parse(d.path("updatedAt").asText()))
          .executeUpdate()
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem(); // API keys: nothing to notify about
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
