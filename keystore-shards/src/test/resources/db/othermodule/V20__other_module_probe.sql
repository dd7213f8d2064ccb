-- Stands in for another module's migration (ca-client's V20) in the one-history test.
CREATE TABLE om_probe (id integer PRIMARY KEY);
