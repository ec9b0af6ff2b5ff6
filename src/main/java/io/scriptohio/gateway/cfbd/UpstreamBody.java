package io.scriptohio.gateway.cfbd;

import io.vertx.core.buffer.Buffer;

/**
 * A CFBD response body as received, passed by reference on the event bus.
 *
 * @param body the JSON bytes, unchanged
 * @param fromSnapshot whether the body came from stored responses instead of CFBD
 */
public record UpstreamBody(Buffer body, boolean fromSnapshot) {
}
