package com.securebase.notifications.persistence;

import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The tenant's users as the gateway's user events describe them. Roles are stored as a text array
 * (passed comma-joined: role names never contain commas) so "every active billing user" is one
 * indexed query.
 */
public final class Recipients {
  private Recipients() {}

  /** A user notifications can be addressed to. */
  public record Known(UUID userId, String email, String displayName) {}

  /** Stores the user's membership after a change, unless a newer version is already stored. */
  public static Uni<Integer> upsert(
      Mutiny.Session session,
      UUID tenant,
      UUID user,
      String email,
      String displayName,
      Collection<String> roles,
      String status,
      int version,
      OffsetDateTime updatedAt) {
    return session
        .createNativeQuery(
            "insert into recipient (tenant_id, user_id, email, display_name, roles, status,"
                + " version, updated_at) values (:tenant, :user, :email, :name,"
                + " string_to_array(:roles, ','), :status, :version, :updatedAt)"
                + " on conflict (tenant_id, user_id) do update set email = excluded.email,"
                + " display_name = excluded.display_name, roles = excluded.roles,"
                + " status = excluded.status, version = excluded.version,"
                + " updated_at = excluded.updated_at where recipient.version < excluded.version")
        .setParameter("tenant", tenant)
        .setParameter("user", user)
        .setParameter("email", email)
        .setParameter("name", displayName)
        .setParameter("roles", String.join(",", roles))
        .setParameter("status", status)
        .setParameter("version", version)
        .setParameter("updatedAt", updatedAt)
        .executeUpdate();
  }

  /** Active users of the tenant holding any of {@code roles}. */
  public static Uni<List<UUID>> withRoles(Mutiny.Session session, UUID tenant, Set<String> roles) {
    if (roles.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return session
        .createNativeQuery(
            "select user_id from recipient where tenant_id = :tenant and status = 'active'"
                + " and roles && string_to_array(:roles, ',') order by user_id",
            UUID.class)
        .setParameter("tenant", tenant)
        .setParameter("roles", String.join(",", roles))
        .getResultList();
  }

  /**
   * What the directory knows of {@code users}: the addressable ones, and those the gateway removed
   * from the tenant. Users it never heard of are in neither (they still get in-app notifications).
   */
  public record Directory(Map<UUID, Known> known, Set<UUID> removed) {}

  public static Uni<Directory> find(Mutiny.Session session, UUID tenant, Collection<UUID> users) {
    return session
        .createNativeQuery(
            "select user_id, email, display_name, status from recipient where tenant_id = :tenant"
                + " and user_id in (:users)",
            Object[].class)
        .setParameter("tenant", tenant)
        .setParameter("users", List.copyOf(users))
        .getResultList()
        .map(
            rows -> {
              Map<UUID, Known> known = new HashMap<>();
              Set<UUID> removed = new java.util.HashSet<>();
              for (Object[] r : rows) {
                UUID user = (UUID) r[0];
                if ("removed".equals(r[3])) {
                  removed.add(user);
                } else {
                  known.put(user, new Known(user, (String) r[1], (String) r[2]));
                }
              }
              return new Directory(known, removed);
            });
  }
}
