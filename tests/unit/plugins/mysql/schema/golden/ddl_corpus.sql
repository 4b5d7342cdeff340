-- DDL corpus for the schema parser: statements separated by lines holding only "----".
-- A line "@db NAME" sets the QUERY event's database for the statements after it; a line
-- "@deviation WHY" marks the next statement as one where Sluice deliberately differs.
-- GenDdlGoldens.java runs Debezium 2.7's MySQL DDL parser over it and records every changed
-- table as Debezium's history writes it (ddl_goldens.tsv); ddl_golden_test.cc compares.
SET character_set_server=utf8mb4, collation_server=utf8mb4_general_ci
----
CREATE DATABASE shop
----
@db shop
CREATE TABLE `customers` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `first_name` varchar(255) NOT NULL,
  `last_name` varchar(255) NOT NULL,
  `email` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=1005 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
----
CREATE TABLE `all_types` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `t1` tinyint(4) DEFAULT NULL,
  `t2` tinyint(3) unsigned NOT NULL DEFAULT 7,
  `t3` tinyint(1) NOT NULL DEFAULT 0,
  `s1` smallint(6) DEFAULT -5,
  `s2` smallint(5) unsigned zerofill DEFAULT NULL,
  `m1` mediumint(9) DEFAULT NULL,
  `m2` mediumint(8) unsigned DEFAULT NULL,
  `i1` int(11) NOT NULL DEFAULT 42,
  `i2` int(10) unsigned DEFAULT NULL,
  `b1` bigint(20) DEFAULT NULL,
  `b2` bigint(20) unsigned DEFAULT 18446744073709551615,
  `f1` float DEFAULT NULL,
  `f2` float(7,3) DEFAULT 1.5,
  `d1` double DEFAULT NULL,
  `d2` double(10,2) NOT NULL DEFAULT 0.00,
  `dec1` decimal(10,2) DEFAULT 12.50,
  `dec2` decimal(65,30) DEFAULT NULL,
  `dec3` decimal(10,0) unsigned DEFAULT NULL,
  `bit1` bit(1) DEFAULT b'1',
  `bit2` bit(12) DEFAULT NULL,
  `y` year(4) DEFAULT 2024,
  `dt` date DEFAULT '2024-01-31',
  `tm` time DEFAULT NULL,
  `tm3` time(3) DEFAULT '12:34:56.789',
  `dtm` datetime DEFAULT NULL,
  `dtm6` datetime(6) DEFAULT current_timestamp(6),
  `ts` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `ts2` timestamp(3) NULL DEFAULT NULL,
  `c1` char(10) DEFAULT 'abc',
  `c2` char(3) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  `v1` varchar(100) COLLATE utf8mb4_bin DEFAULT 'it''s',
  `v2` varchar(20) CHARACTER SET ascii DEFAULT NULL,
  `tt` tinytext DEFAULT NULL,
  `tx` text DEFAULT NULL,
  `mt` mediumtext DEFAULT NULL,
  `lt` longtext DEFAULT NULL,
  `bn` binary(16) DEFAULT NULL,
  `vb` varbinary(255) DEFAULT NULL,
  `tb` tinyblob DEFAULT NULL,
  `bl` blob DEFAULT NULL,
  `mb` mediumblob DEFAULT NULL,
  `lb` longblob DEFAULT NULL,
  `e` enum('a','b''c','d,e') NOT NULL DEFAULT 'a',
  `st` set('x','y','z') DEFAULT 'x,y',
  `js` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`js`)),
  `g` geometry DEFAULT NULL,
  `p` point DEFAULT NULL,
  `ls` linestring DEFAULT NULL,
  `pg` polygon DEFAULT NULL,
  `mp` multipoint DEFAULT NULL,
  `mls` multilinestring DEFAULT NULL,
  `mpg` multipolygon DEFAULT NULL,
  `gc` geometrycollection DEFAULT NULL,
  `gen` int(11) GENERATED ALWAYS AS (`i1` * 2) VIRTUAL,
  `gen2` varchar(10) AS (concat(`c1`,'x')) STORED COMMENT 'generated',
  `cmt` int(11) DEFAULT NULL COMMENT 'a comment',
  PRIMARY KEY (`id`),
  KEY `idx_i1` (`i1`),
  FULLTEXT KEY `ft` (`tx`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='every type'
----
CREATE TABLE `mysql8` (
  `id` int NOT NULL,
  `u` int unsigned NOT NULL DEFAULT '0',
  `j` json DEFAULT NULL,
  `dt` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `ts` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `neg` int DEFAULT '-1',
  `expr` varchar(36) DEFAULT (uuid()),
  `name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci NOT NULL,
  `gc` geomcollection DEFAULT NULL,
  `ti` tinyint(1) DEFAULT '1',
  `fl` float DEFAULT '2.5',
  PRIMARY KEY (`id`),
  CONSTRAINT `chk` CHECK ((`u` < 100))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci
/*!50100 PARTITION BY HASH (`id`)
PARTITIONS 4 */
----
create table people (id serial, name varchar(20) not null default '', nick nvarchar(10), b boolean default true, flag bool not null)
----
CREATE TABLE IF NOT EXISTS shop.`we``ird` (
  a INT NOT NULL, b VARCHAR(10) NULL, c DECIMAL, d DECIMAL(5), e FLOAT(30), f DOUBLE PRECISION,
  g NUMERIC(8,3), h REAL, i INTEGER UNSIGNED ZEROFILL, j CHAR, k national char(5), l DATETIME(4)
) DEFAULT CHARACTER SET latin1
----
CREATE TABLE nopk (a INT NOT NULL, b INT NULL, UNIQUE KEY ub (b), UNIQUE KEY ua (a))
----
CREATE TABLE nopk2 (a INT, b INT NOT NULL UNIQUE)
----
CREATE TABLE pk_later (a INT, b INT, c INT DEFAULT NULL, PRIMARY KEY (b, a))
----
CREATE TABLE copy_of LIKE customers
----
ALTER TABLE customers ADD COLUMN phone varchar(20) DEFAULT NULL AFTER last_name
----
ALTER TABLE customers ADD COLUMN age int unsigned NOT NULL DEFAULT 0 FIRST, ADD COLUMN note text
----
ALTER TABLE customers MODIFY COLUMN phone varchar(40) NOT NULL
----
ALTER TABLE customers CHANGE COLUMN phone phone_number varchar(40) CHARACTER SET latin1 NOT NULL DEFAULT 'n/a' AFTER email
----
ALTER TABLE customers RENAME COLUMN note TO notes
----
ALTER TABLE customers DROP COLUMN age
----
ALTER TABLE customers ALTER COLUMN notes SET DEFAULT 'x'
----
ALTER TABLE customers ALTER COLUMN phone_number DROP DEFAULT
----
ALTER TABLE customers DROP PRIMARY KEY, ADD PRIMARY KEY (id, email)
----
ALTER TABLE customers ADD INDEX idx_last (last_name), ALGORITHM=INPLACE, LOCK=NONE
----
ALTER TABLE customers COMMENT 'the customers'
----
ALTER TABLE customers DEFAULT CHARSET=utf8mb4
----
ALTER TABLE customers ADD COLUMN (x int, y int)
----
ALTER TABLE customers CHANGE x x bigint FIRST
----
ALTER TABLE customers MODIFY y int AFTER x
----
ALTER TABLE customers RENAME TO clients
----
RENAME TABLE clients TO customers2, copy_of TO copy2
----
ALTER TABLE nopk2 ADD PRIMARY KEY (a)
----
CREATE UNIQUE INDEX ux ON pk_later (c)
----
TRUNCATE TABLE customers2
----
DROP TABLE IF EXISTS copy2, nonexistent
----
@deviation /*!NNNNN ... */ is code for the server; Debezium's lexer drops it, Sluice reads it
/* a comment */ CREATE TABLE `t_comments` ( -- trailing comment
  `a` int # hash comment
  /*!50606 , `b` int */
) /*!40101 ENGINE=InnoDB */
----
@db other
CREATE DATABASE IF NOT EXISTS other CHARACTER SET latin1
----
@db other
CREATE TABLE t_db_charset (v varchar(10), e enum('x','y') CHARACTER SET utf8mb4)
----
ALTER DATABASE other CHARACTER SET utf8mb4
----
@db other
CREATE TABLE t_after_alter_db (v varchar(10))
----
@db shop
CREATE TABLE dev (a int NOT NULL, b varchar(5) NOT NULL, c int)
----
@deviation CHANGE/MODIFY without NULL/NOT NULL makes the column nullable on the server; Debezium keeps the old NOT NULL
ALTER TABLE dev CHANGE a a2 bigint
----
@deviation CONVERT TO CHARACTER SET changes the text columns' charset on the server; Debezium ignores the clause
ALTER TABLE dev CONVERT TO CHARACTER SET latin1 COLLATE latin1_swedish_ci

----
@db shop
CREATE TABLE `t8` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `g` point NOT NULL /*!80003 SRID 4326 */,
  `inv` int DEFAULT NULL /*!80023 INVISIBLE */,
  `e` enum('x','y') CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci DEFAULT NULL,
  `fx` float(10,2) unsigned zerofill DEFAULT NULL,
  `ts` timestamp(6) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(6),
  `dbl` double NOT NULL DEFAULT '0',
  `vc` varchar(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  `bits` bit(64) NOT NULL DEFAULT b'0',
  `yr` year DEFAULT NULL,
  `bin` varbinary(16) NOT NULL DEFAULT '\0',
  PRIMARY KEY (`id`),
  UNIQUE KEY `u` (`e`),
  KEY `fk` (`inv`),
  SPATIAL KEY `g` (`g`),
  CONSTRAINT `fk1` FOREIGN KEY (`inv`) REFERENCES `customers2` (`x`) ON DELETE CASCADE ON UPDATE NO ACTION
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci STATS_PERSISTENT=0 ROW_FORMAT=DYNAMIC COMMENT='x'
----
CREATE TABLE `m11` (
  `id` int(11) NOT NULL,
  `name` varchar(40) NOT NULL DEFAULT 'n',
  `d` datetime(6) NOT NULL DEFAULT current_timestamp(6),
  `sv` int(11) GENERATED ALWAYS AS (`id` + 1) STORED,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci
----
ALTER TABLE t8 ADD COLUMN n INT NOT NULL DEFAULT 0 COMMENT 'c' AFTER id, MODIFY COLUMN yr YEAR FIRST, ALTER COLUMN dbl SET DEFAULT 5
----
ALTER TABLE `t8` DROP FOREIGN KEY `fk1`, DROP INDEX `u`, ADD CONSTRAINT `c2` CHECK (`n` >= 0)
----
ALTER TABLE m11 ADD COLUMN IF NOT EXISTS extra TINYTEXT CHARACTER SET latin1, DROP COLUMN IF EXISTS nothing
----
@db shop
CREATE TABLE `kw` (
  `key` int NOT NULL,
  `order` varchar(5) DEFAULT 'a\'b',
  status varchar(5) DEFAULT _utf8mb4'x',
  `h` varbinary(4) DEFAULT 0x41,
  n numeric(5,2) unsigned DEFAULT '1.50',
  bs bigint(20) signed DEFAULT NULL,
  tz timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',
  c0 char(0) DEFAULT NULL,
  e enum('a','b') NOT NULL,
  KEY (`key`),
  INDEX idx (`order`) USING BTREE,
  FULLTEXT KEY ft (`order`),
  UNIQUE KEY uk (`key`)
) ENGINE=MyISAM
----
ALTER TABLE kw ADD COLUMN c1 INT FIRST, ADD COLUMN c2 INT AFTER c1, MODIFY COLUMN e ENUM('a','b','c') NOT NULL DEFAULT 'c'
----
ALTER TABLE kw ALTER COLUMN `order` DROP DEFAULT, ALTER COLUMN n SET DEFAULT 2.25
----
CREATE TABLE kw2 (LIKE kw)
----
TRUNCATE TABLE shop.kw2
----
DROP INDEX `PRIMARY` ON t8
----
DROP DATABASE other
