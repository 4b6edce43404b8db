package com.securebase.billing.persistence;

import com.securebase.billing.domain.InvoiceTotals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
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
    return sql.preparedQuery(
            "select name, display_name, primary_color, logo_url, tier, tax_rate from tenant_account"
                + " where tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return new Account(
                    tenant,
                    tenant.toString(),
                    null,
                    null,
                    null,
                    "standard",
                    InvoiceTotals.DEFAULT_TAX_RATE);
              }
              Row r = rows.iterator().next();
              return new Account(
                  tenant,
                  r.getString(0),
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getBigDecimal(5));
            });
  }

  /** The tier in force from each UTC day on. */
  public static Uni<NavigableMap<LocalDate, String>> tierHistory(SqlClient sql, UUID tenant) {
    return sql.preparedQuery(
            "select effective_on, tier from tenant_tier_change where tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              NavigableMap<LocalDate, String> history = new TreeMap<>();
              for (Row r : rows) {
                history.put(r.getLocalDate(0), r.getString(1));
              }
              return history;
            });
  }
}
