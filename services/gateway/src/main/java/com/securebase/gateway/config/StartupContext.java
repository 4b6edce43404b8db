package com.securebase.gateway.config;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs reactive start-up work (seeding, publishing) to completion. Hibernate Reactive needs a safe
 * duplicated Vert.x context, which start-up observers do not have.
 */
final class StartupContext {
  private StartupContext() {}

  static <T> T await(Vertx vertx, Supplier<Uni<T>> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
    VertxContextSafetyToggle.setContextSafe(context, true);
    context.runOnContext(
        v -> work.get().subscribe().with(done::complete, done::completeExceptionally));
    return done.join();
  }
}
