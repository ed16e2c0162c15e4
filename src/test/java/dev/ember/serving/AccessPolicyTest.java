package dev.ember.serving;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {
    static ServingException.Status status(Runnable r) {
        try {
            r.run();
            return null;
        } catch (ServingException e) {
            return e.status();
        }
    }

    @Test
    void withATokenManagementNeedsIt() {
        AccessPolicy p = new AccessPolicy(Optional.of("s3cret"), "token", "open");
        assertThatCode(() -> p.checkManagement("Bearer s3cret")).doesNotThrowAnyException();
        assertThatCode(() -> p.checkManagement("bearer  s3cret ")).doesNotThrowAnyException();
        assertThatThrownBy(() -> p.checkManagement(null)).hasMessageContaining("'Authorization: Bearer <ember.auth.token>'");
        assertThatThrownBy(() -> p.checkManagement("Bearer s3cre")).hasMessage("invalid bearer token");
        assertThatThrownBy(() -> p.checkManagement("Basic czNjcmV0")).isInstanceOf(ServingException.class);
        assertThatCode(() -> p.checkInference(null)).doesNotThrowAnyException();
        // an explicit "open" does not override a configured token
        AccessPolicy both = new AccessPolicy(Optional.of("s3cret"), "open", "open");
        assertThatThrownBy(() -> both.checkManagement(null)).extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.UNAUTHENTICATED);
    }

    @Test
    void withoutATokenManagementIsRefusedUnlessOpened() {
        AccessPolicy closed = new AccessPolicy(Optional.empty(), "token", "open");
        assertThatThrownBy(() -> closed.checkManagement("Bearer x")).hasMessageContaining("ember.auth.management=open")
                .extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.PERMISSION_DENIED);
        AccessPolicy open = new AccessPolicy(Optional.of("  "), "open", "open");
        assertThatCode(() -> open.checkManagement(null)).doesNotThrowAnyException();
    }

    @Test
    void inferenceCanRequireTheTokenToo() {
        AccessPolicy p = new AccessPolicy(Optional.of("t"), "token", "token");
        assertThatThrownBy(() -> p.checkInference(null)).extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.UNAUTHENTICATED);
        assertThatCode(() -> p.checkInference("Bearer t")).doesNotThrowAnyException();
        assertThatThrownBy(() -> new AccessPolicy(Optional.empty(), "token", "token").checkInference("Bearer t"))
                .hasMessageContaining("ember.auth.token is not set");
        assertThatThrownBy(() -> new AccessPolicy(Optional.empty(), "closed", "open")).hasMessageContaining("ember.auth.management must be 'token' or 'open'");
    }
}
