package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantRouterTest {
    @Test
    void firstMatchingGlobWins_othersGoToTheDefault() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("lab-*", "1:0");
        routes.put("lab-gpu-?", "9:9"); // never reached: lab-* matches first
        routes.put("mini-?", "2:7");
        List<String> problems = new ArrayList<>();
        TenantRouter r = TenantRouter.parse(routes, problems);
        assertThat(problems).isEmpty();
        assertThat(r.tenantOf("lab-gpu-1")).isEqualTo(new TenantRouter.Tenant(1, 0));
        assertThat(r.tenantOf("mini-3")).isEqualTo(new TenantRouter.Tenant(2, 7));
        assertThat(r.tenantOf("mini-33")).isNull();
        assertThat(r.tenantOf("laptop.lab-1")).isNull(); // globs match the whole id; dots are literal
        assertThat(r.tenantOf(null)).isNull();
    }

    @Test
    void everyMalformedRouteIsReported() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("a*", "1");
        routes.put("b*", "x:1");
        routes.put("c*", "1:4294967296");
        routes.put("d*", "3:4");
        List<String> problems = new ArrayList<>();
        TenantRouter r = TenantRouter.parse(routes, problems);
        assertThat(problems).hasSize(3).allMatch(p -> p.startsWith("victorialogs.tenants."));
        assertThat(r.tenantOf("d1")).isEqualTo(new TenantRouter.Tenant(3, 4));
    }
}
