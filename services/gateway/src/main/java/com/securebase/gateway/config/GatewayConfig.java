package com.securebase.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Where the gateway routes: path prefix to the owning service's base URL. */
@ConfigMapping(prefix = "securebase.gateway")
public interface GatewayConfig {
  /**
   * By service name: {@code securebase.gateway.routes.support.prefix=/v1/support}, {@code
   * .url=...}.
   */
  Map<String, Route> routes();

  /** How long the gateway waits to connect to a service before answering 503. */
  @WithDefault("2s")
  Duration connectTimeout();

  /** How long it waits for a service's answer before answering 504. */
  @WithDefault("30s")
  Duration responseTimeout();

  interface Route {
    String prefix();

    String url();
  }
}
