-- The shop the demo log came from, rebuilt in SQLite for `stb demo`'s replay (one statement per
-- line). Ids cover the ranges the log uses; product names contain the words its searches look for.
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, balance NUMERIC NOT NULL DEFAULT 10000, last_order_at TEXT);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC NOT NULL, stock INTEGER NOT NULL, category_id INTEGER NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, total NUMERIC NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE order_items (order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL, price NUMERIC NOT NULL);
CREATE TABLE carts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX orders_by_user ON orders (user_id, created_at);
CREATE INDEX order_items_by_order ON order_items (order_id);
CREATE INDEX products_by_category ON products (category_id, stock);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) INSERT INTO users (id, email, name) SELECT i, 'user' || i || '@example.com', 'User ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO products (id, name, price, stock, category_id) SELECT i, (CASE i % 8 WHEN 0 THEN 'pen' WHEN 1 THEN 'mug' WHEN 2 THEN 'desk' WHEN 3 THEN 'coat' WHEN 4 THEN 'lamp' WHEN 5 THEN 'chair' WHEN 6 THEN 'shoe' ELSE 'book' END) || ' ' || i, 5 + (i * 37) % 500, 1000, 1 + i % 40 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO orders (user_id, total, status, created_at) SELECT 1 + (i * 7919) % 50000, 10 + (i * 13) % 400, 'paid', date('2024-06-03', '-' || (i % 120) || ' days') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000) INSERT INTO order_items (order_id, product_id, quantity, price) SELECT 1 + i % 4000, 1 + (i * 31) % 20000, 1 + i % 3, 5 + i % 200 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO carts (id, user_id, updated_at) SELECT i, 1 + i * 7 % 50000, date('2024-06-03', '-' || (i % 30) || ' days') FROM n;
