/* a comment */ CREATE TABLE `t_comments` ( -- trailing comment
  `a` int # hash comment
  /*!50606 , `b` int */
) /*!40101 ENGINE=InnoDB */