package com.securebase.gateway.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A verified caller at the edge: the tenant, who (user or key id), roles, tier, and the access
 * token to forward downstream.
 */
public record Credentials(
    UUID tenantId,
    String subject,
    String kind,
    Set<String> roles,
    Tier tier,
    String accessToken,
    Instant tokenExpiresAt) {}
