package com.securebase.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A real downstream service on loopback for the proxy tests: answers with what it received (the
 * credential headers, the path, the body), so a test can see exactly what the gateway forwarded. A
 * second, Vert.x server speaks WebSocket. Also reserves a port where nothing listens, for the
 * "service down" case.
 */
public class EchoServer implements QuarkusTestResourceLifecycleManager {
  private HttpServer server;
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
              body = in.readAllBytes();
            }
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            String apiKey = String.valueOf(exchange.getRequestHeaders().getFirst("X-API-Key"));
            String json =
                "{\"method\":\""
                    + exchange.getRequestMethod()
                    + "\",\"uri\":\""
                    + exchange.getRequestURI()
                    + "\",\"authorization\":\""
                    + auth
                    + "\",\"apiKey\":\""
                    + apiKey
                    + "\",\"bodyLength\":"
                    + body.length
                    + "}";
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Echo", "yes");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
              os.write(out);
            }
          });
      server.start();
      int closedPort;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = probe.getLocalPort();
      }
      // A WebSocket service: answers "who" with what the upgrade carried, echoes anything else.
      // Upgrades are taken in the request handler: a server's webSocketHandler was, in this test
      // JVM, sometimes not wired to the accepting connection (the upgrade then hung or got a 200).
      vertx = Vertx.vertx();
      int wsPort =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request
                          .toWebSocket()
                          .onSuccess(
                              ws -> {
                                String seen =
                                    "uri="
                                        + ws.uri()
                                        + " auth="
                                        + ws.headers().get("Authorization");
                                ws.textMessageHandler(
                                    m -> ws.writeTextMessage(m.equals("who") ? seen : "echo:" + m));
                              })
                          .onFailure(e -> request.response().setStatusCode(400).end()))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .join()
              .actualPort();
      return Map.of(
          "securebase.gateway.routes.live.prefix",
          "/v1/live",
          "securebase.gateway.routes.live.url",
          "http://127.0.0.1:" + wsPort,
          "securebase.gateway.routes.echo.prefix",
          "/v1/echo",
          "securebase.gateway.routes.echo.url",
          "http://127.0.0.1:" + server.getAddress().getPort(),
          "securebase.gateway.routes.down.prefix",
          "/v1/down",
          "securebase.gateway.routes.down.url",
          "http://127.0.0.1:" + closedPort);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (vertx != null) {
      vertx.close();
    }
  }
}
