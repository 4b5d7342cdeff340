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