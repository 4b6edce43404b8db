package com.securebase.gateway.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.gateway.persistence.UserAccount;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's events, written to the outbox inside the caller's transaction: the domain event
 * and, for security-relevant actions, an audit entry.
 */
@ApplicationScoped
public class GatewayEvents {
  private final DomainEvents events = new DomainEvents("gateway");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  public Uni<Void> tenant(String verb, Tenant t, List<String> changes, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", t.tenantId.toString());
    data.put("name", t.name);
    data.put("tier", t.tier);
    Map<String, Object> branding = new LinkedHashMap<>();
    branding.put("displayName", t.displayName);
    branding.put("primaryColor", t.primaryColor);
    branding.put("logoUrl", t.logoUrl);
    data.put("branding", branding);
    data.put("ipAllowlist", t.allowlist());
    data.put("mfaRequired", t.mfaRequired);
    data.put("sessionLengthMinutes", t.sessionMinutes);
    data.put("taxRate", t.taxRate.toPlainString());
    data.put("version", t.version + 1); // events count versions from 1; the row from 0
    data.put("createdAt", t.createdAt.toString());
    data.put("updatedAt", t.updatedAt.toString());
    if (!changes.isEmpty()) {
      data.put("changes", changes);
    }
    String id = t.tenantId.toString();
    return outbox
        .append(events.create("securebase.gateway.tenant." + verb, id, id, data))
        .chain(() -> audit(id, actor, "tenant." + verb, "tenant", id));
  }

  public Uni<Void> apiKey(String verb, ApiKey k, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("apiKeyId", k.id.toString());
    data.put("tenantId", k.tenantId.toString());
    data.put("name", k.name);
    data.put("prefix", k.prefix);
    data.put("last4", k.last4);
    data.put("scopes", k.scopeList());
    data.put("expiresAt", utc(k.expiresAt));
    data.put("revokedAt", utc(k.revokedAt));
    data.put("createdBy", k.createdBy);
    data.put("createdAt", utc(k.createdAt));
    String tenant = k.tenantId.toString();
    return outbox
        .append(events.create("securebase.gateway.apikey." + verb, tenant, k.id.toString(), data))
        .chain(() -> audit(tenant, actor, "apikey." + verb, "apikey", k.id.toString()));
  }

  public Uni<Void> user(String verb, UserAccount u, Set<String> previousRoles, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", u.tenantId.toString());
    data.put("userId", u.id.toString());
    data.put("email", u.email);
    data.put("displayName", u.displayName);
    data.put("roles", List.copyOf(u.roleSet()));
    if (previousRoles != null) {
      data.put("previousRoles", List.copyOf(previousRoles));
    }
    data.put("status", u.status);
    data.put("mfaEnabled", u.mfaEnabled);
    data.put("invitedBy", u.invitedBy == null ? null : u.invitedBy.toString());
    data.put("createdAt", utc(u.createdAt));
    data.put("activatedAt", utc(u.activatedAt));
    data.put("removedAt", utc(u.removedAt));
    data.put("updatedAt", utc(u.updatedAt));
    data.put("version", u.version);
    String tenant = u.tenantId.toString();
    String id = u.id.toString();
    return outbox
        .append(events.create("securebase.gateway.user." + verb, tenant, id, data))
        .chain(() -> audit(tenant, actor, "user." + verb, "user", id));
  }

  private Uni<Void> audit(
      String tenant, Actor actor, String action, String resourceType, String resourceId) {
    return audit.record(tenant, actor, action, resourceType, resourceId);
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
