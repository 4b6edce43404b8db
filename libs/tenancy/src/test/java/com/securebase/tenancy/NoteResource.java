package com.securebase.tenancy;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;

/** Deliberately careless queries (no tenant filter) to show that RLS alone isolates tenants. */
@Path("/notes")
@Authenticated
public class NoteResource {
  @Inject CurrentCaller caller;
  @Inject TenantTransactions tx;

  @GET
  public Uni<List<String>> list() {
    return tx.inTenant(
        caller.tenantId(),
        s -> Note.<Note>listAll().map(notes -> notes.stream().map(n -> n.body).sorted().toList()));
  }

  @POST
  public Uni<String> add(@QueryParam("body") String body) {
    return tx.inTenant(caller.tenantId(), s -> Note.of(caller.tenantId(), body).persist())
        .replaceWith(body);
  }

  /** Tries to write a row for another tenant while scoped to the caller's. */
  @POST
  @Path("/forge")
  public Uni<String> forge(@QueryParam("tenant") UUID other) {
    return tx.inTenant(caller.tenantId(), s -> Note.of(other, "forged").persist())
        .replaceWith("written")
        .onFailure()
        .recoverWithItem(e -> "refused: " + rootMessage(e));
  }

  /** What after-commit actions saw: "body:rows with that body visible to another connection". */
  static final List<String> AFTER_COMMIT = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Registers an after-commit action inside a nested (joined) transaction, then fails the outer one
   * if asked. Answers whether the action had run before the outer work finished.
   */
  @POST
  @Path("/after-commit")
  public Uni<String> afterCommit(
      @QueryParam("body") String body, @QueryParam("fail") boolean fail) {
    UUID tenant = caller.tenantId();
    return tx.inTenant(
        tenant,
        outer ->
            tx.inTenant(
                    tenant,
                    inner -> {
                      // A blocking read from another connection, on the event loop: acceptable in
                      // this probe, it is what proves the action saw the committed row.
                      TenantTransactions.afterCommit(
                          () ->
                              AFTER_COMMIT.add(
                                  body
                                      + ":"
                                      + com.securebase.testkit.TestDatabase.count(
                                          "select count(*) from note where body = ?", body)));
                      return Note.of(tenant, body).persist();
                    })
                .chain(
                    () ->
                        fail
                            ? Uni.createFrom().failure(new IllegalStateException("rolled back"))
                            : Uni.createFrom()
                                .item(
                                    "early:"
                                        + AFTER_COMMIT.stream()
                                            .anyMatch(a -> a.startsWith(body + ":")))));
  }

  /** The same careless query with no tenant set at all. */
  @GET
  @Path("/unscoped-count")
  public Uni<Long> unscopedCount() {
    return Panache.withTransaction(() -> Note.count());
  }

  @GET
  @Path("/system-count")
  public Uni<Long> systemCount() {
    return tx.asSystem(s -> Note.count());
  }

  @GET
  @Path("/whoami")
  public Uni<String> whoami() {
    return Panache.withSession(
        () ->
            Panache.getSession()
                .chain(
                    s ->
                        s.createNativeQuery(
                                "select current_user || ':' || rolbypassrls || ':' || rolsuper from pg_roles where rolname = current_user",
                                String.class)
                            .getSingleResult()));
  }

  @POST
  @Path("/disable-rls")
  public Uni<String> disableRls() {
    return Panache.withTransaction(
            () ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery("alter table note disable row level security")
                                .executeUpdate()))
        .replaceWith("disabled")
        .onFailure()
        .recoverWithItem(e -> "refused: " + rootMessage(e));
  }

  @POST
  @Path("/tamper-history")
  public Uni<String> tamperHistory() {
    return Panache.withTransaction(
            () ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery("delete from flyway_schema_history")
                                .executeUpdate()))
        .replaceWith("deleted")
        .onFailure()
        .recoverWithItem(e -> "refused: " + rootMessage(e));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
