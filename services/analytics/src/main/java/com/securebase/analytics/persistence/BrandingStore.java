package com.securebase.analytics.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;
import java.util.UUID;

/** Tenant names and colours for report headers, as the gateway's latest tenant event had them. */
public final class BrandingStore {
  private BrandingStore() {}

  public record Branding(String displayName, String primaryColor) {
    public static final Branding DEFAULT = new Branding("SecureBase", null);
  }

  /** Keeps the newer version only, so an old event redelivered late changes nothing. */
  public static Uni<Void> upsert(
      SqlClient sql, UUID tenant, String displayName, String primaryColor, int version) {
    return sql.preparedQuery(
            "insert into tenant_branding (tenant_id, display_name, primary_color, version) values"
                + " ($1, $2, $3, $4) on conflict (tenant_id) do update set display_name ="
                + " excluded.display_name, primary_color = excluded.primary_color, version ="
                + " excluded.version where tenant_branding.version < excluded.version")
        .execute(Tuple.from(Arrays.asList(tenant, displayName, primaryColor, version)))
        .replaceWithVoid();
  }

  public static Uni<Branding> get(SqlClient sql, UUID tenant) {
    return sql.preparedQuery(
            "select display_name, primary_color from tenant_branding where tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(
            rows ->
                rows.size() == 0
                    ? Branding.DEFAULT
                    : new Branding(
                        rows.iterator().next().getString(0), rows.iterator().next().getString(1)));
  }
}
