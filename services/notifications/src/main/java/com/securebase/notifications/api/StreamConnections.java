package com.securebase.notifications.api;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The WebSockets this replica holds, by tenant and user, so a fan-out event finds its user's
 * sockets without scanning every connection. Sends are asynchronous writes: nothing here blocks the
 * consumer or the event loop, and a slow or dead socket only loses its own messages.
 */
@ApplicationScoped
public class StreamConnections {
  private static final Logger LOG = Logger.getLogger(StreamConnections.class);

  private final Map<String, Set<WebSocketConnection>> byUser = new ConcurrentHashMap<>();
  private final Map<UUID, Set<WebSocketConnection>> byTenant = new ConcurrentHashMap<>();

  void add(UUID tenant, UUID user, WebSocketConnection connection) {
    byUser.computeIfAbsent(key(tenant, user), k -> ConcurrentHashMap.newKeySet()).add(connection);
    byTenant.computeIfAbsent(tenant, k -> ConcurrentHashMap.newKeySet()).add(connection);
  }

  void remove(UUID tenant, UUID user, WebSocketConnection connection) {
    byUser.computeIfPresent(
        key(tenant, user),
        (k, connections) -> {
          connections.remove(connection);
          return connections.isEmpty() ? null : connections;
        });
    byTenant.computeIfPresent(
        tenant,
        (k, connections) -> {
          connections.remove(connection);
          return connections.isEmpty() ? null : connections;
        });
  }

  /** The tenant's sockets on this replica (for live updates, filtered by their subscriptions). */
  public Set<WebSocketConnection> ofTenant(UUID tenant) {
    return byTenant.getOrDefault(tenant, Set.of());
  }

  /** Sends a text message to every socket of the user on this replica. */
  public void send(UUID tenant, UUID user, String message) {
    Set<WebSocketConnection> connections = byUser.get(key(tenant, user));
    if (connections == null) {
      return;
    }
    for (WebSocketConnection connection : connections) {
      send(connection, message);
    }
  }

  /** An asynchronous write; a closed or failing socket only loses this message. */
  public void send(WebSocketConnection connection, String message) {
    if (connection.isOpen()) {
      connection
          .sendText(message)
          .subscribe()
          .with(
              ignored -> {},
              failure -> LOG.debugf("Push to connection %s failed: %s", connection.id(), failure));
    }
  }

  private static String key(UUID tenant, UUID user) {
    return tenant + "/" + user;
  }
}
