package io.cadenza.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The node's probes under a bounded load, as a smoke check of a running node: liveness must stay
 * fast, readiness (a real round trip to every dependency) must keep answering 200.
 *
 * <p>Settings: {@code -Dcadenza.baseUrl} (default http://127.0.0.1:8080), {@code -Drate} requests
 * per second per probe (default 50), {@code -Dseconds} (default 20).
 */
public class ProbeSimulation extends Simulation {

  private final String baseUrl = System.getProperty("cadenza.baseUrl", "http://127.0.0.1:8080");
  private final double rate = Double.parseDouble(System.getProperty("rate", "50"));
  private final int seconds = Integer.parseInt(System.getProperty("seconds", "20"));

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl).acceptHeader("application/json").shareConnections();

  private final ScenarioBuilder liveness =
      scenario("liveness").exec(http("health").get("/health").check(status().is(200)));

  private final ScenarioBuilder readiness =
      scenario("readiness")
          .exec(
              exec(
                  http("ready")
                      .get("/ready")
                      .check(status().is(200), jsonPath("$.status").is("UP"))));

  {
    setUp(
            liveness.injectOpen(constantUsersPerSec(rate).during(seconds)),
            readiness.injectOpen(constantUsersPerSec(rate).during(seconds)))
        .protocols(protocol)
        .maxDuration(seconds + 30)
        // Gatling shares the node's two cores here, so latency under it is mostly the load
        // generator's own warm-up: assert correctness and a generous bound, read figures from the
        // report.
        .assertions(
            global().failedRequests().count().is(0L),
            details("ready").responseTime().percentile(99.0).lt(1000));
  }
}
