package com.securebase.billing.persistence;

import com.securebase.billing.domain.InvoiceTotals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A tenant's billing account as the plain SQL path reads it. A tenant whose gateway events have not
 * arrived yet is billed as standard at the default tax rate under its id, rather than not at all;
 * the next event corrects name, tier and rate for later invoices.
 */
public final class Accounts {
  private Accounts() {}

  public record Account(
      UUID tenantId,
      String name,
      String displayName,
      String primaryColor,
      String logoUrl,
      String tier,
      BigDecimal taxRate) {
    public String shownName() {
      return displayName != null ? displayName : name;
    }
  }

  public static Uni<Account> of(SqlClient sql, UUID tenant) {
    return of(sql, List.of(tenant)).map(all -> all.get(tenant));
  }

  /** The accounts of every listed tenant (a default one for a tenant not heard of yet). */
  public static Uni<Map<UUID, Account>> of(SqlClient sql, List<UUID> tenants) {
    return sql.preparedQuery(
            "select tenant_id, name, display_name, primary_color, logo_url, tier, tax_rate from"
                + " tenant_account where tenant_id = any($1::uuid[])")
        .execute(Tuple.of(tenants.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, Account> found = new HashMap<>();
              for (Row r : rows) {
                found.put(
                    r.getUUID(0),
                    new Account(
                        r.getUUID(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getBigDecimal(6)));
              }
              for (UUID t : tenants) {
                found.computeIfAbsent(
                    t,
                    id ->
                        new Account(
                            id,
                            id.toString(),
                            null,
                            null,
                            null,
                            "standard",
                            InvoiceTotals.DEFAULT_TAX_RATE));
              }
              return found;
            });
  }

  /** The tier in force from each UTC day on, per listed tenant (empty when never heard of). */
  public static Uni<Map<UUID, NavigableMap<LocalDate, String>>> tierHistory(
      SqlClient sql, List<UUID> tenants) {
    return sql.preparedQuery(
            "select tenant_id, effective_on, tier from tenant_tier_change where tenant_id ="
                + " any($1::uuid[])")
        .execute(Tuple.of(tenants.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, NavigableMap<LocalDate, String>> histories = new HashMap<>();
              for (UUID t : tenants) {
                histories.put(t, new TreeMap<>());
              }
              for (Row r : rows) {
                histories.get(r.getUUID(0)).put(r.getLocalDate(1), r.getString(2));
              }
              return histories;
            });
  }
}
