package com.securebase.gateway.domain;

import java.util.UUID;

/** What the edge enforces for a tenant on every request. */
public record TenantPolicy(UUID tenantId, Tier tier, IpAllowlist allowlist) {

  public int requestsPerHour() {
    return TierFeatures.of(tier).rateLimitPerHour();
  }
}
