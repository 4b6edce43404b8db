package com.securebase.notifications.persistence;

import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The tenant's users as the gateway's user events describe them. Roles are stored as a text array
 * (passed comma-joined: role names never contain commas) so "every active billing user" is one
 * indexed query.
 */
public final class Recipients {
  private Recipients() {}

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
}
