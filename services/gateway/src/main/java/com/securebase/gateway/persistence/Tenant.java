package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant and its settings. No field initialisers here or in any entity: with Hibernate's
 * bytecode-enhanced dirty tracking they mark the fields dirty on every load, and a mere read then
 * writes the row back. Defaults live in {@link #create}.
 */
@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {
  public static final int DEFAULT_SESSION_MINUTES = 1440;
  public static final BigDecimal DEFAULT_TAX_RATE = new BigDecimal("0.0800");

  @Id
  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;
  public String tier;

  @Column(name = "display_name")
  public String displayName;

  @Column(name = "primary_color")
  public String primaryColor;

  @Column(name = "logo_url")
  public String logoUrl;

  /** Comma-separated CIDR blocks. */
  @Column(name = "ip_allowlist")
  public String ipAllowlist;

  @Column(name = "mfa_required")
  public boolean mfaRequired;

  @Column(name = "session_minutes")
  public int sessionMinutes;

  @Column(name = "tax_rate")
  public BigDecimal taxRate;

  /** Bumped by each effective update (and carried in tenant events). */
  public int version;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** A new tenant with the product defaults (no allowlist, 24 h sessions, 8 % tax). */
  public static Tenant create(UUID id, String name, String tier) {
    Tenant t = new Tenant();
    t.tenantId = id;
    t.name = name;
    t.tier = tier;
    t.ipAllowlist = "";
    t.sessionMinutes = DEFAULT_SESSION_MINUTES;
    t.taxRate = DEFAULT_TAX_RATE;
    t.createdAt = Instant.now();
    t.updatedAt = t.createdAt;
    return t;
  }

  public List<String> allowlist() {
    return ipAllowlist.isEmpty() ? List.of() : Arrays.asList(ipAllowlist.split(","));
  }
}
