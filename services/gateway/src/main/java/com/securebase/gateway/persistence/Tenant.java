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

@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {
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

  /** Comma-separated CIDR blocks (text, not text[]: arrays defeated Hibernate's dirty check). */
  @Column(name = "ip_allowlist")
  public String ipAllowlist = "";

  @Column(name = "mfa_required")
  public boolean mfaRequired;

  @Column(name = "session_minutes")
  public int sessionMinutes = 1440;

  @Column(name = "tax_rate")
  public BigDecimal taxRate = new BigDecimal("0.0800");

  /** Bumped by each effective update (and carried in tenant events). */
  public int version;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public List<String> allowlist() {
    return ipAllowlist.isEmpty() ? List.of() : Arrays.asList(ipAllowlist.split(","));
  }
}
