// The libcrypto parts used for JWT signatures (HMAC, RSA through EVP), random bytes and AES-GCM.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
