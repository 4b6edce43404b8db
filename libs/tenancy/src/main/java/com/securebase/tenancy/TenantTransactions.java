package com.securebase.tenancy;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Runs work in a reactive transaction bound to one tenant: {@code securebase.tenant_id} is set with
 * {@code set_config(..., true)} (transaction-local) before the work, so Postgres row-level security
 * filters every statement even if the code forgets {@code tenant_id}. Panache repositories used
 * inside share the same session and transaction.
 */
@ApplicationScoped
public class TenantTransactions {

  public <T> Uni<T> inTenant(UUID tenantId, Function<Mutiny.Session, Uni<T>> work) {
    if (tenantId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("tenantId is required"));
    }
    return scoped(tenantId.toString(), "off", work);
  }

  /**
   * Cross-tenant work (SLA sweeps, retention purges, platform-scoped events): RLS lets it see every
   * tenant. Never call this on a request path.
   */
  public <T> Uni<T> asSystem(Function<Mutiny.Session, Uni<T>> work) {
    return scoped("", "on", work);
  }

  /**
   * Sets both settings every time: a transaction that is joined by nested work (an authentication
   * lookup in system scope before the request's tenant work, on the same context) must end up with
   * exactly the scope of the latest call, never a leftover {@code system_scope=on}.
   */
  private static <T> Uni<T> scoped(
      String tenant, String systemScope, Function<Mutiny.Session, Uni<T>> work) {
    return Panache.withTransaction(
        () ->
            Panache.getSession()
                .chain(
                    session ->
                        session
                            .createNativeQuery(
                                "select set_config('securebase.tenant_id', :tenant, true),"
                                    + " set_config('securebase.system_scope', :system, true)")
                            .setParameter("tenant", tenant)
                            .setParameter("system", systemScope)
                            .getSingleResult()
                            .chain(ignored -> work.apply(session))));
  }
}
