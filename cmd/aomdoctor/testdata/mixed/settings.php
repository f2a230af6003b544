<?php
// Aquarium Essentials: settings.php (AOM 5.2)
$aom['AmazonStoreType'] = 'Amazon.com';
$aom['AmazonAssociateId'] = 'aquaessentials-20';
$aom['AmazonConnectionMethod'] = 'soap';   # changed in 2009 while testing, never set back
$aom['AwsAccessKey'] = 'AKIAIW7X2QZ9RM4TNL5K';
$aom['AwsSecretKey'] = 'Rw5Tq2Zx8Km1Vn4Lp7Jc3Hd6Bs9Fg0Ye+Ao/Uk2I';
$aom['ShoppingCart'] = 'Yes';
$aom['ReportsEmail'] = 'carts@aquaessentials.example';
$aom['Reports'] = ['Remote_Cart'];
