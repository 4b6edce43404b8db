package com.securebase.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * The customer portal's pages. Its files come from the securebase-portal jar (META-INF/resources,
 * served by Quarkus); this route adds what a single-page app needs on top:
 *
 * <ul>
 *   <li>a deep link such as {@code /support/42} answers with {@code index.html}, so a reload or a
 *       shared link opens the page instead of a 404;
 *   <li>the content-hashed files under {@code /assets/} may be cached for a year, while {@code
 *       index.html} is revalidated every time, so a new release reaches users at once;
 *   <li>a Content-Security-Policy that lets the portal talk to this origin only.
 * </ul>
 *
 * The API ({@code /v1}), the Quarkus endpoints ({@code /q}) and {@code /.well-known} are never
 * touched.
 */
@ApplicationScoped
public class PortalPages {
  static final String INDEX = "/index.html";
  static final String ASSETS = "/assets/";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  static final String POLICY =
      "default-src 'self'; connect-src 'self'; img-src 'self' data: https:; style-src 'self';"
          + " script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
          + " form-action 'self'";
  private static final List<String> NOT_PORTAL = List.of("/v1/", "/v1", "/q/", "/.well-known/");

  void routes(@Observes Router router) {
    // Before the proxy (-100) and the REST resources: a deep link must not reach either.
    router.route().order(-200).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    String path = rc.normalizedPath();
    HttpMethod method = rc.request().method();
    if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || !isPortal(path)) {
      rc.next();
      return;
    }
    HttpServerResponse response = rc.response();
    if (path.startsWith(ASSETS)) {
      // Set when the headers go out, so Quarkus's static handler cannot shorten it.
      rc.addHeadersEndHandler(
          v -> {
            if (response.getStatusCode() == 200) {
              response.headers().set(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
            }
          });
      rc.next();
      return;
    }
    if (isPage(path)) {
      rc.reroute(INDEX); // comes back here as INDEX, below
      return;
    }
    if (path.equals(INDEX)) {
      rc.addHeadersEndHandler(
          v -> {
            String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.startsWith("text/html")) {
              response.headers().set(HttpHeaders.CACHE_CONTROL, REVALIDATE);
              response.headers().set("Content-Security-Policy", POLICY);
              response.headers().set("X-Content-Type-Options", "nosniff");
              response.headers().set("Referrer-Policy", "same-origin");
            }
          });
    }
    rc.next();
  }

  static boolean isPortal(String path) {
    return NOT_PORTAL.stream().noneMatch(path::startsWith);
  }

  /** A portal route: a path whose last segment has no file extension. */
  static boolean isPage(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return !last.contains(".");
  }
}
