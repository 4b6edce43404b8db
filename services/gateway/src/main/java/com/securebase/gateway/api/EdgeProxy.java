package com.securebase.gateway.api;

import com.securebase.gateway.config.GatewayConfig;
import com.securebase.gateway.domain.Authentication;
import com.securebase.gateway.domain.Credentials;
import com.securebase.gateway.domain.EdgeAuthenticator;
import com.securebase.gateway.domain.RateLimits;
import com.securebase.gateway.domain.TenantPolicy;
import com.securebase.problem.Problem;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The single public entry point for every other service's API: authenticates (JWT or API key),
 * enforces the tenant's IP allowlist and tier rate limit, then forwards the request by path prefix
 * to the owning service with the verified JWT as the only credential. The body streams through
 * (never buffered); a service that cannot be reached answers 503 within the connect timeout.
 * WebSocket upgrades are authenticated the same way (or by an {@code access_token} query parameter,
 * which browsers need) and then relayed frame by frame.
 *
 * <p>Hand-written on the Vert.x HTTP client rather than vertx-http-proxy: the request must stay
 * paused across the asynchronous authentication, and failures must be answered as problem+json
 * 503/504 rather than the library's bare 502.
 */
@ApplicationScoped
public class EdgeProxy {
  private static final Logger LOG = Logger.getLogger(EdgeProxy.class);
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "x-api-key",
          "authorization",
          "content-length");

  @Inject Vertx vertx;
  @Inject GatewayConfig config;
  @Inject EdgeAuthenticator authenticator;
  @Inject RateLimits rateLimits;

  /** The request-context key Quarkus's HTTP server metrics take the {@code uri} tag from. */
  private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

  /** Browsers cannot set headers on a WebSocket upgrade: they may send the token here instead. */
  static final String ACCESS_TOKEN_PARAM = "access_token";

  /**
   * One outbound client (and connection pool) per event loop. A pooled connection belongs to the
   * loop that opened it, and a request that borrows another loop's connection hands its write and
   * its answer across threads twice; with a pool per loop, a proxied request stays on the loop that
   * accepted it.
   */
  private final ThreadLocal<HttpClient> clientOfLoop =
      ThreadLocal.withInitial(
          () ->
              vertx.createHttpClient(
                  new HttpClientOptions()
                      .setConnectTimeout((int) config.connectTimeout().toMillis())
                      .setKeepAlive(true)
                      .setMaxPoolSize(100)
                      .setPipelining(false)));

  private WebSocketClient webSockets;

  void routes(@Observes Router router) {
    webSockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxConnections(10_000));
    config
        .routes()
        .forEach(
            (service, route) -> {
              URI origin = URI.create(route.url());
              String template = route.prefix() + "/*";
              router.route(route.prefix()).order(-100).handler(rc -> handle(rc, origin, template));
              router
                  .route(route.prefix() + "/*")
                  .order(-100)
                  .handler(rc -> handle(rc, origin, template));
              LOG.infof("Routing %s/* to %s (%s)", route.prefix(), origin, service);
            });
  }

  private void handle(RoutingContext rc, URI origin, String template) {
    HttpServerRequest request = rc.request();
    // The metrics' uri tag: one per route, not one per resource id behind it.
    Vertx.currentContext().putLocal(URL_PATH_TEMPLATE, template);
    request.pause(); // keep the body until we know where (and whether) it goes
    authenticate(request)
        .chain(
            credentials ->
                credentials.isEmpty()
                    ? Uni.createFrom()
                        .item(
                            Outcome.problem(
                                401,
                                "unauthorized",
                                "Unauthorized",
                                "A valid bearer token or API key is required"))
                    : authenticator
                        .policy(credentials.get().tenantId())
                        .map(policy -> admit(rc, credentials.get(), policy)))
        .subscribe()
        .with(
            outcome -> {
              if (outcome.problem() != null) {
                request.resume();
                respond(rc, outcome.problem());
              } else {
                if (isWebSocketUpgrade(request)) {
                  forwardWebSocket(rc, origin, outcome.credentials());
                } else {
                  forward(rc, origin, outcome.credentials());
                }
              }
            },
            failure -> {
              LOG.error("Edge authentication failed", failure);
              request.resume();
              respond(
                  rc,
                  problem(500, "internal-error", "Internal error", "An unexpected error occurred"));
            });
  }

  private record Outcome(Credentials credentials, JsonObject problem) {
    static Outcome problem(int status, String slug, String title, String detail) {
      return new Outcome(null, EdgeProxy.problem(status, slug, title, detail));
    }
  }

  private Uni<Optional<Credentials>> authenticate(HttpServerRequest request) {
    String apiKey = request.getHeader("X-API-Key");
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String queryToken = request.getParam(ACCESS_TOKEN_PARAM);
    if (apiKey == null && authorization == null && queryToken != null) {
      if (!isWebSocketUpgrade(request)) {
        return Uni.createFrom().item(Optional.empty()); // tokens in URLs only where unavoidable
      }
      authorization = "Bearer " + queryToken;
    }
    if (apiKey == null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (token.startsWith("sb_live_")) {
        apiKey = token;
      } else {
        return authenticator.jwt(token);
      }
    }
    return apiKey == null ? Uni.createFrom().item(Optional.empty()) : authenticator.apiKey(apiKey);
  }

  private Outcome admit(
      RoutingContext rc, Credentials credentials, Optional<TenantPolicy> maybePolicy) {
    if (maybePolicy.isEmpty()) {
      return Outcome.problem(
          401, "unauthorized", "Unauthorized", "The credential's tenant no longer exists");
    }
    if (credentials.roles().contains(Authentication.MFA_ENROLLMENT_ROLE)) {
      return Outcome.problem(
          403,
          "mfa-enrollment-required",
          "MFA enrolment required",
          "The tenant requires MFA: enrol a device at /v1/users/me/mfa, then sign in again");
    }
    TenantPolicy policy = maybePolicy.get();
    String client = rc.request().remoteAddress().hostAddress();
    if (!policy.allowlist().allows(client)) {
      return Outcome.problem(
          403,
          "ip-not-allowed",
          "Address not allowed",
          "Requests from " + client + " are not in the tenant's IP allowlist");
    }
    RateLimits.Decision decision = rateLimits.consume(policy);
    rc.response()
        .putHeader("RateLimit-Limit", Integer.toString(decision.limit()))
        .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
        .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()))
        .putHeader("RateLimit-Policy", decision.limit() + ";w=3600");
    if (!decision.allowed()) {
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
      return Outcome.problem(
          429,
          "rate-limited",
          "Too many requests",
          "The "
              + policy.tier().code()
              + " tier allows "
              + decision.limit()
              + " requests per hour");
    }
    return new Outcome(credentials, null);
  }

  private void forward(RoutingContext rc, URI origin, Credentials credentials) {
    HttpServerRequest request = rc.request();
    MultiMap headers = forwardedHeaders(request, credentials);
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(origin.getHost())
            .setPort(origin.getPort())
            .setURI(request.uri())
            .setHeaders(headers)
            .setIdleTimeout(config.responseTimeout().toMillis());
    clientOfLoop
        .get()
        .request(options)
        .onFailure(
            e -> {
              request.resume();
              respond(rc, unreachable(request));
            })
        .onSuccess(
            outbound -> {
              String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
              if (length != null) {
                outbound.putHeader(HttpHeaders.CONTENT_LENGTH, length);
              } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                outbound.setChunked(true);
              }
              outbound
                  .send(request)
                  .onSuccess(
                      inbound -> {
                        rc.response()
                            .setStatusCode(inbound.statusCode())
                            .setStatusMessage(inbound.statusMessage());
                        inbound
                            .headers()
                            .forEach(
                                h -> {
                                  if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                                    rc.response().headers().add(h.getKey(), h.getValue());
                                  }
                                });
                        String inboundLength = inbound.getHeader(HttpHeaders.CONTENT_LENGTH);
                        if (inboundLength == null) {
                          rc.response().setChunked(true);
                        } else {
                          rc.response().putHeader(HttpHeaders.CONTENT_LENGTH, inboundLength);
                        }
                        inbound.pipeTo(rc.response());
                      })
                  .onFailure(
                      e ->
                          respond(
                              rc,
                              problem(
                                  504,
                                  "gateway-timeout",
                                  "Gateway timeout",
                                  "The service behind "
                                      + request.path()
                                      + " did not answer in time")));
            });
  }

  /**
   * The client's end-to-end headers (no hop-by-hop, credential or WebSocket handshake headers), the
   * verified JWT as the only credential, and {@code X-Forwarded-*}.
   */
  private static MultiMap forwardedHeaders(HttpServerRequest request, Credentials credentials) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request
        .headers()
        .forEach(
            h -> {
              String name = h.getKey().toLowerCase();
              if (!HOP_BY_HOP.contains(name) && !name.startsWith("sec-websocket-")) {
                headers.add(h.getKey(), h.getValue());
              }
            });
    headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + credentials.accessToken());
    headers.set("X-Forwarded-For", request.remoteAddress().hostAddress());
    headers.set("X-Forwarded-Proto", request.scheme());
    headers.set("X-Forwarded-Host", String.valueOf(request.authority()));
    return headers;
  }

  private static JsonObject unreachable(HttpServerRequest request) {
    return problem(
        503,
        "service-unavailable",
        "Service unavailable",
        "The service behind " + request.path() + " cannot be reached; retry later");
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
  }

  /**
   * Connects to the service first (so a service that is down is a 503 problem, not a socket that
   * closes at once), then accepts the client's upgrade and relays frames both ways as they are
   * (text stays text, fragments stay fragments); either side closing closes the other.
   */
  private void forwardWebSocket(RoutingContext rc, URI origin, Credentials credentials) {
    HttpServerRequest request = rc.request();
    MultiMap headers = forwardedHeaders(request, credentials);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(origin.getHost())
            .setPort(origin.getPort())
            .setURI(withoutAccessToken(request.uri()))
            .setHeaders(headers)
            .setTimeout(config.connectTimeout().toMillis());
    webSockets
        .connect(options)
        .onFailure(
            e -> {
              LOG.warnf("WebSocket to %s failed: %s", origin, e.toString());
              request.resume();
              respond(rc, unreachable(request));
            })
        .onSuccess(
            downstream -> {
              downstream.pause(); // hold what the service sends until the client is connected
              request
                  .toWebSocket()
                  .onFailure(e -> downstream.close())
                  .onSuccess(
                      client -> {
                        client.frameHandler(downstream::writeFrame);
                        downstream.frameHandler(client::writeFrame);
                        client.closeHandler(v -> downstream.close());
                        downstream.closeHandler(
                            v ->
                                client.close(
                                    downstream.closeStatusCode() == null
                                        ? (short) 1000
                                        : downstream.closeStatusCode(),
                                    downstream.closeReason()));
                        downstream.resume();
                      });
            });
  }

  /** The query token authenticated the client; the service gets the JWT in a header instead. */
  static String withoutAccessToken(String uri) {
    QueryStringDecoder decoded = new QueryStringDecoder(uri);
    if (!decoded.parameters().containsKey(ACCESS_TOKEN_PARAM)) {
      return uri;
    }
    QueryStringEncoder encoder = new QueryStringEncoder(decoded.rawPath());
    decoded
        .parameters()
        .forEach(
            (name, values) -> {
              if (!ACCESS_TOKEN_PARAM.equals(name)) {
                values.forEach(v -> encoder.addParam(name, v));
              }
            });
    return encoder.toString();
  }

  private static JsonObject problem(int status, String slug, String title, String detail) {
    return new JsonObject()
        .put("type", Problem.type(slug).toString())
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
  }

  private static void respond(RoutingContext rc, JsonObject problem) {
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    problem.put("instance", rc.request().path());
    rc.response()
        .setStatusCode(problem.getInteger("status"))
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(problem.encode());
  }
}
