package dev.openshell.gateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.openshell.gateway.config.DataDir;
import dev.openshell.gateway.config.GatewayProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: a SQLite file in the data directory by default (WAL, so readers never wait for
 * the writer; write transactions begin IMMEDIATE, so two writers queue on the busy timeout
 * instead of failing when one upgrades a read lock), or PostgreSQL with {@code --db-url}.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    DataSource dataSource(GatewayProperties properties, DataDir dataDir) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("openshell-db");
        if (properties.usesSqlite()) {
            String url = properties.dbUrl() == null || properties.dbUrl().isBlank()
                    ? "jdbc:sqlite:" + dataDir.sqliteFile()
                    : properties.dbUrl();
            config.setJdbcUrl(url + (url.contains("?") ? "&" : "?")
                    + "journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&transaction_mode=IMMEDIATE");
            config.setMaximumPoolSize(4);
        } else if (properties.dbUrl().startsWith("jdbc:postgresql:")) {
            config.setJdbcUrl(properties.dbUrl());
            config.setMaximumPoolSize(10);
        } else {
            throw new IllegalArgumentException(
                    "--db-url must be a jdbc:postgresql: or jdbc:sqlite: URL; got one starting "
                            + properties
                                    .dbUrl()
                                    .substring(
                                            0, Math.min(16, properties.dbUrl().length())));
        }
        config.setConnectionTimeout(5000);
        config.setValidationTimeout(2000);
        config.setInitializationFailTimeout(10000);
        return new HikariDataSource(config);
    }
}
