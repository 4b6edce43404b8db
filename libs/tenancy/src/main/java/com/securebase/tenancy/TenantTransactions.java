package com.securebase.tenancy;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

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
   * Runs {@code action} once the transaction the caller is in has committed (never after a
   * rollback). Without a transaction on this context the action runs at once.
   */
  public static void afterCommit(Runnable action) {
    Context context = Vertx.currentContext();
    CommitActions actions = context == null ? null : context.getLocal(CommitActions.KEY);
    if (actions == null) {
      action.run();
    } else {
      actions.add(action);
    }
  }

  /**
   * Sets both settings every time: a transaction that is joined by nested work (an authentication
   * lookup in system scope before the request's tenant work, on the same context) must end up with
   * exactly the scope of the latest call, never a leftover {@code system_scope=on}.
   */
  // Run as an update although it is a select: Hibernate Reactive 3.1 never finds a native select's
  // plan in its plan cache (its result mapping has no equals), so every call added an entry under
  // the same hash and lookups walked them all, about a tenth of a busy service's event-loop time.
  private static final String SET_SCOPE =
      "select set_config('securebase.tenant_id', :tenant, true),"
          + " set_config('securebase.system_scope', :system, true)";

  private static <T> Uni<T> scoped(
      String tenant, String systemScope, Function<Mutiny.Session, Uni<T>> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              CommitActions actions = CommitActions.enter(Vertx.currentContext());
              return Panache.withTransaction(
                      () ->
                          Panache.getSession()
                              .chain(
                                  session ->
                                      session
                                          .createNativeQuery(SET_SCOPE)
                                          .setParameter("tenant", tenant)
                                          .setParameter("system", systemScope)
                                          .executeUpdate()
                                          .chain(ignored -> work.apply(session))))
                  .onItemOrFailure()
                  .invoke((item, failure) -> actions.exit(failure == null));
            });
  }

  /**
   * Actions waiting for the outermost transaction on one Vert.x context: nested calls join that
   * transaction, so only the last exit (after the commit) runs them.
   */
  private static final class CommitActions {
    static final String KEY = CommitActions.class.getName();
    private static final Logger LOG = Logger.getLogger(CommitActions.class);
    private final Context context;
    private final List<Runnable> actions = new ArrayList<>();
    private int depth;

    private CommitActions(Context context) {
      this.context = context;
    }

    static CommitActions enter(Context context) {
      CommitActions current = context == null ? null : context.getLocal(KEY);
      if (current == null) {
        current = new CommitActions(context);
        if (context != null) {
          context.putLocal(KEY, current);
        }
      }
      current.depth++;
      return current;
    }

    void add(Runnable action) {
      actions.add(action);
    }

    void exit(boolean committed) {
      if (--depth > 0) {
        return;
      }
      if (context != null) {
        context.removeLocal(KEY);
      }
      if (committed) {
        for (Runnable action : actions) {
          try {
            action.run();
          } catch (RuntimeException e) {
            LOG.warnf(e, "An after-commit action failed (the transaction is committed)");
          }
        }
      }
    }
  }
}
