package com.securebase.tenancy;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as the verified JWT says: the tenant, the user or API key id, roles and tier.
 *
 * @param kind {@code user} or {@code apikey}
 */
public record Caller(UUID tenantId, String subject, String kind, Set<String> roles, String tier) {

  public Caller {
    roles = Set.copyOf(roles);
  }

  public boolean hasAnyRole(String... wanted) {
    for (String role : wanted) {
      if (roles.contains(role)) {
        return true;
      }
    }
    return false;
  }
}
