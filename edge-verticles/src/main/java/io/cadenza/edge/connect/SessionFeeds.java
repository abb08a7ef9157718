package io.cadenza.edge.connect;

import io.cadenza.session.SessionChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users' session changes as they reach one edge verticle: one consumer per user on the
 * clustered event bus address the session's node publishes on ({@code cadenza.session.<user>}),
 * shared by every socket and long poll of that user on this verticle, and gone with the last of
 * them. Also carries the {@code hello} announcements by which a device's new socket, on any node,
 * replaces its old one. Used on the verticle's event loop only.
 */
public final class SessionFeeds {

  /** The address prefix of the users' session changes. */
  public static final String ADDRESS_PREFIX = "cadenza.session.";

  private static final Logger LOG = LoggerFactory.getLogger(SessionFeeds.class);
  private static final String KIND = "kind";
  private static final String HELLO = "hello";

  /** What a subscriber hears. */
  public interface Listener {

    /** A durable change of the user's session: the state after it and its events. */
    void changed(SessionChange change);

    /** A socket of the user announced {@code deviceId}, as connection {@code connectionId}. */
    default void announced(String deviceId, String connectionId) {}
  }

  /** A subscription; {@link #close} it when the socket or poll ends. */
  public interface Subscription {
    void close();
  }

  private final Vertx vertx;
  private final Map<String, Feed> feeds = new HashMap<>();

  public SessionFeeds(Vertx vertx) {
    this.vertx = vertx;
    SessionChangeCodec.register(vertx);
  }

  /** The event bus address of a user's session changes. */
  public static String address(String userId) {
    return ADDRESS_PREFIX + userId;
  }

  /**
   * Subscribes to a user's changes. The future completes once the consumer is registered across the
   * cluster, so a state read after it cannot miss a change published later.
   */
  public Future<Subscription> subscribe(String userId, Listener listener) {
    Feed feed = feeds.computeIfAbsent(userId, this::open);
    feed.listeners.add(listener);
    Subscription subscription =
        () -> {
          if (feed.listeners.remove(listener) && feed.listeners.isEmpty()) {
            feeds.remove(userId, feed);
            feed.consumer.unregister();
          }
        };
    return feed.registered.map(subscription);
  }

  /**
   * Tells every node's sockets of the user that {@code deviceId} connected as {@code connection}.
   */
  public void announce(String userId, String deviceId, String connectionId) {
    vertx
        .eventBus()
        .publish(
            address(userId),
            new JsonObject().put("device_id", deviceId).put("connection_id", connectionId),
            new DeliveryOptions().addHeader(KIND, HELLO).setLocalOnly(false));
  }

  /** How many users have a consumer here (a gauge). */
  public int users() {
    return feeds.size();
  }

  private Feed open(String userId) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address(userId));
    Feed feed = new Feed(consumer);
    consumer.handler(message -> feed.deliver(userId, message));
    feed.registered = consumer.completion();
    return feed;
  }

  private static final class Feed {
    final MessageConsumer<Object> consumer;
    final List<Listener> listeners = new ArrayList<>(2);
    Future<Void> registered;

    Feed(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
    }

    void deliver(String userId, Message<Object> message) {
      if (HELLO.equals(message.headers().get(KIND))) {
        if (message.body() instanceof JsonObject hello) {
          String device = hello.getString("device_id");
          String connection = hello.getString("connection_id");
          for (Listener listener : List.copyOf(listeners)) {
            listener.announced(device, connection);
          }
        }
        return;
      }
      SessionChange change;
      try {
        // Read from JSON here when it came from another node.
        change = (SessionChange) message.body();
      } catch (RuntimeException e) {
        LOG.warn("Dropped an unreadable session change for user {}: {}", userId, e.toString());
        return;
      }
      for (Listener listener : List.copyOf(listeners)) {
        listener.changed(change);
      }
    }
  }
}
